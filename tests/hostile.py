"""Hostile inputs the security tests and the fuzzers share: diamond-shaped regions and definitions,
terminal escapes, special files."""

from __future__ import annotations

HEAD = '''state AAA "Alphaland"
state BBB "Betaland"
state CCC "Gammaland"
'''


def _treaty(condition: str, extra: str = "") -> str:
    return f'''treaty pact "The Pact"
  binding legal
  category alliance
  in-force 1950-01-01
  parties AAA BBB from 1950-01-01
{extra}  article 1 "The Parties shall assist one another."
    clause
      upon armed-attack
      if victim is party and {condition}
      each party other than victim must assist victim
  end
end
'''


def diamond_regions(levels: int) -> str:
    """`region r_i includes r_{i+1}, x_i` and `region x_i includes r_{i+1}`: 2^levels paths from r0 to the
    last region, which an expansion that is not memoised walks one by one."""
    out = [HEAD]
    for i in range(levels):
        out.append(f'region r{i} "r{i}"\n  includes r{i + 1}, x{i}\n')
        out.append(f'region x{i} "x{i}"\n  includes r{i + 1}\n')
    out.append(f'region r{levels} "r{levels}"\n')
    out.append(f'place home "Home"\n  territory-of BBB\n  in r{levels}\nend\n')
    out.append(f'place away "Away"\n  territory-of BBB\n  possibly-in r{levels} "open"\nend\n')
    out.append(_treaty("place in r0"))
    return "\n".join(out)


def diamond_definitions(levels: int) -> str:
    """`define d_i as d_{i+1} and (d_{i+1} or t)`: each definition used twice by the one above it."""
    out = [HEAD, 'term t "an open question"\n  of state\n']
    for i in range(levels):
        out.append(f'define d{i} "d{i}" as d{i + 1} and (d{i + 1} or attacker is t)\n')
    out.append(f'define d{levels} "d{levels}" as not attacker is party\n')
    out.append('place home "Home"\n  territory-of BBB\nend\n')
    out.append(_treaty("d0"))
    return "\n".join(out)


# ---- datasets ---------------------------------------------------------------------------------------------

def atop_member_columns() -> list[str]:
    from obligations.atop.data import ALL_FLAGS, OBLIGATIONS

    return ["atopid", "member", "phase", "maxphase", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit",
            *OBLIGATIONS, *ALL_FLAGS, "asymm", "obvary", "bilat", "version"]


def atop_member_row(**over) -> dict[str, str]:
    """A defense pact's member row (USA, COW 2, from 1950-01-05), every column a string; `over` replaces cells."""
    row = {c: "0" for c in atop_member_columns()}
    row.update(atopid="9001", member="2", yrent="1950", moent="1", dayent="5", defense="1", version="5.1")
    row.update({k: str(v) for k, v in over.items()})
    return row


def atop_members_csv(rows: list[dict[str, str]] | None = None) -> str:
    """An ATOP-shaped member file: by default one alliance of the USA (2) and the UK (200)."""
    rows = rows if rows is not None else [atop_member_row(), atop_member_row(member="200")]
    cols = atop_member_columns()
    return "\n".join([",".join(cols)] + [",".join(r[c] for c in cols) for r in rows]) + "\n"


COW_STATES = ("stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
              "USA,2,United States of America,1816,1,1,2016,12,31,2016\n"
              "UKG,200,United Kingdom,1816,1,1,2016,12,31,2016\n")


# ---- terminal escapes ----------------------------------------------------------------------------------

# Erase the line and rewrite it; set the window title (OSC 0); a hyperlink (OSC 8); a bare carriage return;
# a C1 CSI that clears the screen; a right-to-left override; a zero-width space; DEL; an invisible tag "A".
EVIL = ("\x1b[2K\x1b[1Gobliged  \x1b]0;pwned\x07\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\"
        "\rok: \x9b2J\u202eevil\u2066\u200b\x7f\U000e0041\x85end")


def q(s: str) -> str:
    """A clause-language string holding exactly `s`."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_corpus(evil: str = EVIL) -> str:
    """A corpus with `evil` in every string a command prints: state and place names, titles, article texts,
    a term's question and readings, facts' grounds, sources, notes, and in comments. AAA is bound by two
    pacts to assist opposite sides (a conflict); whether AAA must assist in the first turns on the term."""
    e = q(evil)
    return f'''# a comment {evil}
state AAA {q("Alphaland " + evil)}
state BBB {q("Betaland " + evil)}
state CCC {q("Gammaland " + evil)}

region sea {e}
  note {e}

place home {q("Home " + evil)}
  territory-of BBB
  possibly-in sea {e}
end

place far {q("Far " + evil)}
  territory-of CCC
end

term doubt {e}
  of state
  reading "yes" {e}
  reading "no" {e}

fact not doubt(BBB) {e}

treaty one {q("Pact One " + evil)}
  binding legal
  category alliance
  in-force 1950-01-01
  parties AAA BBB from 1950-01-01
  source {e}
  note {e}
  article 1 {e}  # {evil}
    clause
      upon armed-attack
      if victim is party and attacker is doubt
      each party other than victim must assist victim
  end
end

treaty two {q("Pact Two " + evil)}
  binding legal
  category alliance
  in-force 1950-01-01
  parties AAA CCC from 1950-01-01
  article 1 {e}
    clause
      upon armed-attack
      if victim is party
      each party other than victim must assist victim
  end
end
'''
