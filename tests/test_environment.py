"""The environment is pinned, the shipped JavaScript is what we say it is, and Binder builds what
`make lab` has."""
import hashlib
import re
import sys

from bookkit.paths import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import write_environment  # noqa: E402


def test_environment_yml_matches_the_lock():
    assert (ROOT / "environment.yml").read_text() == write_environment.render(), \
        "environment.yml and requirements.lock disagree: run `make lock`"


def test_lock_pins_every_package_with_hashes():
    lock = (ROOT / "requirements.lock").read_text()
    entries = re.findall(r"^([A-Za-z0-9_.-]+)(==[^ \\\n]+)? \\$", lock, re.M)
    assert entries and all(pin for _, pin in entries), "every package in the lock must be pinned with =="
    assert lock.count("--hash=sha256:") >= len(entries)


def test_vendored_javascript_matches_its_checksums():
    vendor = ROOT / "book" / "_static" / "vendor"
    for line in (vendor / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    for lib in ("vega", "vega-lite", "vega-embed"):
        assert (vendor / f"LICENSE-{lib}.txt").exists()


def test_ci_runs_the_readme_test_command_only():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [ln for ln in ci.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
                and not ln.startswith(("set ", "cd "))]
    assert commands == ["make test"], commands
    assert "make test" in (ROOT / "README.md").read_text()


def test_binder_gets_the_packages_and_the_lab_extension():
    """repo2docker installs environment.yml, then runs postBuild: without it the notebooks could not
    import bookkit or csto on Binder, and Lab would show neither the charts nor the prose's numbers."""
    post = ROOT / "postBuild"
    assert post.exists() and post.stat().st_mode & 0o111, "postBuild is missing or not executable"
    text = post.read_text(encoding="utf-8")
    assert "pip install" in text and "-e ." in text, "postBuild does not install the book's packages"
    assert "tools/build_labextension.sh" in text, "postBuild does not install the JupyterLab extension"
