"""The README's two commands, in its order, on a fresh clone: scripts/run, then scripts/test.

The scripts run for real on a temporary copy of the repository's scripts and requirement files; only
the programs they call are stand-ins (python3 and the virtualenv's python, dpkg, apt-get), so nothing is
downloaded and nothing is installed. The stand-in pip records which requirement files it installed and
the stand-in pytest fails, as the real one did, when requirements-dev.txt was never installed.
"""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FAKE_PYTHON = """#!{python}
import os, re, shutil, sys
from pathlib import Path

args = sys.argv[1:]
with open(os.environ["FAKE_LOG"], "a") as log:
    log.write(" ".join(args) + "\\n")
installed = Path(__file__).resolve().parent.parent / "installed.txt"


def packages(path):
    for line in path.read_text().splitlines():
        include = re.match(r"\\s*(?:-r|--requirement)[\\s=]*(\\S+)", line)
        if include:
            yield from packages(path.parent / include.group(1))
        elif line.strip() and not line.startswith("#"):
            yield re.split(r"[=<>~ ]", line.strip())[0]


if args[:2] == ["-m", "venv"]:
    (Path(args[2]) / "bin").mkdir(parents=True)
    shutil.copy(__file__, Path(args[2]) / "bin" / "python")
elif args[:3] == ["-m", "pip", "install"] and "-r" in args:
    with installed.open("a") as out:
        out.writelines(name + "\\n" for name in packages(Path(args[args.index("-r") + 1])))
elif args[:2] == ["-m", "pytest"]:
    if "pytest" not in (installed.read_text().split() if installed.exists() else []):
        sys.exit("No module named pytest")
"""


def write_program(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def fresh_clone(tmp_path: Path, *, dpkg_status: int = 0) -> tuple[Path, dict[str, str]]:
    """A copy of the scripts and requirement files (no .venv), and an environment whose PATH puts the
    stand-ins first. dpkg_status is what `dpkg -s` answers (0: every Debian package is installed)."""
    clone = tmp_path / "clone"
    shutil.copytree(ROOT / "scripts", clone / "scripts")
    for requirements in ROOT.glob("requirements*.txt"):
        shutil.copy(requirements, clone / requirements.name)
    (clone / "manage.py").write_text("")
    fakes = tmp_path / "bin"
    fakes.mkdir()
    write_program(fakes / "python3", FAKE_PYTHON.format(python=sys.executable))
    write_program(fakes / "dpkg", f"#!/bin/sh\nexit {dpkg_status}\n")
    write_program(fakes / "apt-get", '#!/bin/sh\necho "apt-get $*" >>"$FAKE_LOG"\n')
    write_program(fakes / "sudo", '#!/bin/sh\nexec "$@"\n')
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "VIRTUAL_ENV"))}
    env = base | {
        "PATH": f"{fakes}{os.pathsep}{os.environ['PATH']}",
        "PYTHON": str(fakes / "python3"),
        "FAKE_LOG": str(tmp_path / "calls.log"),
    }
    return clone, env


def run(command: str, clone: Path, env: dict[str, str]) -> list[str]:
    """Runs a command in the clone; returns the calls the stand-ins saw during it."""
    log = Path(env["FAKE_LOG"])
    log.write_text("")
    result = subprocess.run(
        ["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}{result.stderr}"
    return log.read_text().splitlines()


def pip_installs(calls: list[str]) -> list[str]:
    return [call.split()[-1] for call in calls if call.startswith("-m pip install") and "-r" in call.split()]


def test_readme_order_run_then_test_installs_the_test_packages(tmp_path):
    clone, env = fresh_clone(tmp_path)

    calls = run("scripts/run", clone, env)
    assert calls[0] == "-m venv .venv"
    assert pip_installs(calls) == ["requirements.txt"]
    assert "manage.py runserver 127.0.0.1:8000" in calls

    calls = run("scripts/test", clone, env)
    assert pip_installs(calls) == ["requirements-dev.txt"]
    assert calls[-1] == "-m pytest"


def test_a_second_run_installs_nothing(tmp_path):
    clone, env = fresh_clone(tmp_path)
    run("scripts/run", clone, env)
    run("scripts/test", clone, env)

    assert pip_installs(run("scripts/run", clone, env)) == []
    assert pip_installs(run("scripts/test", clone, env)) == []


def test_a_changed_included_file_reinstalls_the_file_that_includes_it(tmp_path):
    """requirements-dev.txt includes requirements.txt with -r: a new runtime pin is a new dev install."""
    clone, env = fresh_clone(tmp_path)
    run("scripts/test", clone, env)
    with (clone / "requirements.txt").open("a") as requirements:
        requirements.write("tzdata==2026.1\n")

    assert pip_installs(run("scripts/test", clone, env)) == ["requirements-dev.txt"]
    assert pip_installs(run("scripts/run", clone, env)) == ["requirements.txt"]


def test_a_changed_dev_file_leaves_the_portal_install_alone(tmp_path):
    clone, env = fresh_clone(tmp_path)
    run("scripts/run", clone, env)
    run("scripts/test", clone, env)
    with (clone / "requirements-dev.txt").open("a") as requirements:
        requirements.write("pytest-timeout==2.4.0\n")

    assert pip_installs(run("scripts/run", clone, env)) == []
    assert pip_installs(run("scripts/test", clone, env)) == ["requirements-dev.txt"]


def test_apt_waits_for_the_dpkg_lock(tmp_path):
    """Another apt holding the dpkg lock is waited for, not a reason to carry on without the packages."""
    clone, env = fresh_clone(tmp_path, dpkg_status=1)

    calls = run(". scripts/lib.sh && apt_install libpango-1.0-0 chromium", clone, env)

    apt_calls = [call for call in calls if call.startswith("apt-get")]
    assert [call.split()[3] for call in apt_calls] == ["update", "install"]
    assert all(call.split()[1:3] == ["-o", "DPkg::Lock::Timeout=300"] for call in apt_calls)
    assert apt_calls[1].endswith("libpango-1.0-0 chromium")
