#!/usr/bin/env bash
# The walkthroughs of examples/README.md, in order. Run from the repository root.
set -u
obligations ask --attacker CHN --victim JPN --at senkaku-islands --on 2025-06-01 --party USA
obligations ask --attacker CHN --victim JPN --at senkaku-islands --on 1965-06-01 --party USA
obligations ask --attacker CHN --victim JPN --at senkaku-islands --on 2025-06-01 --party AUS
obligations ask --attacker CHN --victim JPN --at senkaku-islands --on 2025-06-01 --party KOR
obligations ask --attacker CHN --victim JPN --at senkaku-islands --on 2025-06-01 --party USA --action use-armed-force
obligations who --attacker CHN --victim JPN --at senkaku-islands --on 2025-06-01
obligations ask --attacker CHN --victim JPN --at senkaku-islands --on 2025-06-01 --party USA --without constitutional-processes-reading
obligations who --attacker VDR --victim RVN --at south-vietnam --on 1965-06-01 --depth 0
obligations ask --attacker IDN --victim THA --at tha-home --on 1967-06-01 --party USA --action meet-common-danger
obligations ask --attacker IDN --victim THA --at tha-home --on 1967-06-01 --party GBR --action meet-common-danger
obligations ask --attacker SUN --victim TUR --at tur-home --on 1965-06-01 --party USA
obligations ask --attacker ARG --victim GBR --at falkland-islands --on 1982-04-02 --party USA
obligations conflicts --party KOR --on 2025-06-01
obligations eligible --party KOR --instrument pato-draft --on 2025-06-01
for c in AUS JPN KOR NZL PHL TWN THA IND SGP IDN MYS VNM; do obligations eligible --party $c --instrument pato-draft --on 2025-06-01 | head -1; done
obligations eligible --party JPN --instrument nato
obligations ask --attacker CHN --victim TWN --at taiwan --party AUS
obligations ask --attacker CHN --victim TWN --at taiwan --party AUS --draft pato-draft
obligations ask --attacker CHN --victim TWN --at taiwan --party AUS --draft pato-draft --join pato-draft:TWN
obligations ask --attacker CHN --victim TWN --at taiwan --party USA
obligations ask --attacker CHN --victim TWN --at taiwan --on 1965-06-01 --party USA
obligations prove examples/drafting/pato-draft-1.treaty --on 2030-01-01
obligations prove examples/drafting/pato-draft-2.treaty --on 2030-01-01
obligations diff examples/drafting/pato-draft-1.treaty examples/drafting/pato-draft-2.treaty --on 2030-01-01 --action assist
pytest examples/drafting
obligations ask --attacker USA --victim PRK --on 2025-06-01 --party CHN
obligations who --attacker USA --victim PRK --at prk-home --on 2025-06-01
obligations who --attacker PRK --victim KOR --at kor-home --on 2025-06-01
obligations ask --event threat --attacker CHN --victim JPN --on 2025-06-01 --party USA --action consult
obligations ask --attacker RUS --victim USA --at usa-home --on 2025-06-01 --party BRA
obligations ask --attacker CHN --victim FRA --at new-caledonia --on 2025-06-01 --party DEU
