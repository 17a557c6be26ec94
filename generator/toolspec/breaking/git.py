"""The git side of `toolspec breaking`: which commit to compare with, and the files it holds.

Nothing is checked out: the files are read from git's objects (`git ls-tree`, `git cat-file`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toolspec.ground.errors import UsageError

DEFAULT_BASES = ("origin/HEAD", "origin/main", "main", "master")
"""Where the default ref comes from, the first that exists: the merge base of HEAD and it. The
remote's default branch first (origin/HEAD, as `git clone` sets it), whatever its name."""

MERGE_BASE_SUFFIX = "..."
"""`--against REF...`: the merge base of REF and HEAD, as in `git diff REF...`."""


@dataclass(frozen=True)
class Ref:
    """The commit the working tree is compared with."""

    label: str
    """How the user knows it: `main`, `HEAD~1`, `merge base of HEAD and origin/main`."""
    commit: str

    @property
    def short(self) -> str:
        return self.commit[:12]


@dataclass(frozen=True)
class Blob:
    path: PurePosixPath
    """From the repository's root."""
    oid: str


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError(
            "git is not installed (or not on the PATH): toolspec breaking reads the specs from git"
        ) from None


def repository_root(start: Path) -> Path:
    """The top of the working tree that start is in."""
    result = _git(start, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise UsageError(f"{start} is not in a git repository: toolspec breaking compares the specs with a git ref")
    return Path(result.stdout.decode().strip()).resolve()


def _commit(root: Path, name: str) -> str | None:
    result = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    return result.stdout.decode().strip() if result.returncode == 0 else None


def _branch_name(root: Path, name: str) -> str:
    """name as the user knows the branch: origin/HEAD as the branch it points to (origin/master)."""
    if not name.endswith("/HEAD"):
        return name
    result = _git(root, "symbolic-ref", "--quiet", "--short", f"refs/remotes/{name}")
    return result.stdout.decode().strip() if result.returncode == 0 else name


def _merge_base(root: Path, name: str, commit: str) -> str:
    if _commit(root, "HEAD") is None:
        return commit  # no commit yet on this branch: everything is new since name
    result = _git(root, "merge-base", commit, "HEAD")
    if result.returncode != 0:
        raise UsageError(f"HEAD and {name} have no common ancestor: name the ref to compare with, --against REF")
    return result.stdout.decode().strip()


def resolve(root: Path, against: str | None) -> Ref:
    """The commit to compare with: against as git reads it (REF... for its merge base with
    HEAD); by default the merge base of HEAD and the first of DEFAULT_BASES that exists."""
    if against is None:
        for base in DEFAULT_BASES:
            commit = _commit(root, base)
            if commit is not None:
                return Ref(f"the merge base of HEAD and {_branch_name(root, base)}", _merge_base(root, base, commit))
        tried = ", ".join(DEFAULT_BASES[:-1]) + f" or {DEFAULT_BASES[-1]}"
        raise UsageError(f"there is no {tried} to compare with: name the ref, e.g. --against HEAD~1")
    name = against.removesuffix(MERGE_BASE_SUFFIX) if against.endswith(MERGE_BASE_SUFFIX) else against
    commit = _commit(root, name) if name and not name.startswith("-") else None
    if commit is None:
        raise UsageError(f"{name!r} is no commit of this repository (a branch, tag or commit): nothing to compare with")
    if name != against:
        return Ref(f"the merge base of HEAD and {name}", _merge_base(root, name, commit))
    return Ref(against, commit)


def files_under(root: Path, commit: str, directory: PurePosixPath) -> list[Blob]:
    """The regular files below directory (from the root) in commit; none if it had no such directory."""
    where = "." if str(directory) == "." else f"{directory}/"
    result = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", where)
    if result.returncode != 0:
        raise UsageError(f"git ls-tree failed: {result.stderr.decode(errors='replace').strip()}")
    blobs: list[Blob] = []
    for entry in result.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        mode, kind, oid = meta.split()
        if kind == "blob" and mode in ("100644", "100755"):  # no symbolic links, no submodules
            blobs.append(Blob(PurePosixPath(path), oid))
    return blobs


def read_blobs(root: Path, oids: list[str]) -> dict[str, bytes]:
    """The contents of the objects oids, read by one `git cat-file --batch`."""
    if not oids:
        return {}
    result = _git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    if result.returncode != 0:
        raise UsageError(f"git cat-file failed: {result.stderr.decode(errors='replace').strip()}")
    out, contents, offset = result.stdout, {}, 0
    for oid in oids:
        end = out.index(b"\n", offset)
        header = out[offset:end].split()
        size = int(header[2])
        contents[oid] = out[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1  # the object, then a newline
    return contents
