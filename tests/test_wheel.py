"""The wheel carries the grammar and the bundled corpus: install it in a fresh venv and run check."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_checks_bundled_corpus(tmp_path):
    wheels = tmp_path / "wheels"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                       capture_output=True, text=True)
    if r.returncode != 0 and "No module named" in r.stderr:
        pytest.skip("pip cannot build wheels here: " + r.stderr.strip().splitlines()[-1])
    assert r.returncode == 0, r.stderr
    wheel = next(wheels.glob("obligations-*.whl"))
    env_dir = tmp_path / "venv"
    # The dependencies come from the running environment's site-packages (which may be a venv, not the
    # system's): a .pth line puts them after the new venv's own. Its .pth files are not read, so an editable
    # install of obligations there stays out of sight; --ignore-installed, because pip would otherwise take
    # the running environment's obligations for this one's and install nothing. No network needed.
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    # The new venv's processes must not see a PYTHONPATH that puts a source checkout first: they are to run the
    # installed wheel.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    py = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, env=clean).stdout.strip()
    import site

    parents = [p for p in site.getsitepackages() + [site.getusersitepackages()] if os.path.isdir(p)]
    Path(purelib, "_running_env.pth").write_text("\n".join(parents) + "\n")
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q", str(wheel)], capture_output=True, text=True, env=clean)
    assert r.returncode == 0, r.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    exe = env_dir / "bin" / "obligations"
    r = subprocess.run([str(exe), "check"], capture_output=True, text=True, cwd=work, env=clean)
    assert r.returncode == 0, r.stdout + r.stderr
    # Every bundled file is in the wheel, subfolders (world/, drafts/) included.
    from obligations.model.load import expand

    n_files = len(expand([ROOT / "treaties"], []))
    assert f"ok: {n_files} file(s)" in r.stdout, (n_files, r.stdout)
    # A user's file that names only bundled states and places checks clean from any folder.
    (work / "mine.treaty").write_text('treaty my-pact "My pact"\n  draft\n  parties USA JPN\n'
                                      '  article 1 "Each shall assist the other."\n    clause\n      upon armed-attack\n'
                                      '      if victim is party and place = senkaku-islands\n'
                                      '      each party other than victim must assist victim\n  end\nend\n')
    r = subprocess.run([str(exe), "check", "mine.treaty"], capture_output=True, text=True, cwd=work, env=clean)
    assert r.returncode == 0 and "ok: 1 file(s)" in r.stdout, r.stdout + r.stderr
    # The installed package, not the source tree, answered.
    r = subprocess.run([str(py), "-c", "import obligations, sys; print(obligations.__file__)"], capture_output=True, text=True, cwd=work, env=clean)
    assert "site-packages" in r.stdout, r.stdout
