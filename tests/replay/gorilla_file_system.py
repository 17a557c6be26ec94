"""The Gorilla file system of the BFCL multi-turn benchmark: an in-memory tree, a current directory.

Ported from bfcl_eval/eval_checker/multi_turn_eval/func_source_code/gorilla_file_system.py of the
Berkeley Function Calling Leaderboard (ShishirPatil/gorilla, Apache-2.0), with its behaviour kept
quirk for quirk (`pwd` includes the root's name, `tail(lines=0)` shows every line, a copied
directory shares its files). Changes: no long-context mode and no timestamps; `cp` into a
directory that already holds the name answers with an error instead of raising; `echo` returns
None after writing, as the original does by falling off its end.
"""

from __future__ import annotations

import copy
from typing import Any

_INVALID = '|/\\?%*:"><'


class File:
    def __init__(self, name: str, content: str = "") -> None:
        self.name = name
        self.content = content


class Directory:
    def __init__(self, name: str, parent: Directory | None = None) -> None:
        self.name = name
        self.parent = parent
        self.contents: dict[str, File | Directory] = {}

    def get(self, name: str) -> File | Directory | None:
        return self if name == "." else self.contents.get(name)

    def add_file(self, name: str, content: str = "") -> None:
        self.contents[name] = File(name, content)

    def add_directory(self, name: str) -> Directory:
        directory = Directory(name, self)
        self.contents[name] = directory
        return directory


def _snapshot(item: File | Directory) -> Any:
    if isinstance(item, File):
        return item.content
    return {name: _snapshot(child) for name, child in item.contents.items()}


def _valid_name(name: str) -> bool:
    return not any(c in name for c in _INVALID)


class GorillaFileSystem:
    """State: the tree under `root` and the current directory."""

    def __init__(self, scenario: dict[str, Any] | None = None) -> None:
        scenario = copy.deepcopy(scenario or {})
        self.root = Directory("/", None)
        if "root" in scenario:
            (name, top), *_ = scenario["root"].items()
            self.root = self._load(top["contents"], Directory(name, None))
        self.current = self.root

    def _load(self, contents: dict[str, Any], directory: Directory) -> Directory:
        for name, item in contents.items():
            if item["type"] == "directory":
                self._load(item["contents"], directory.add_directory(name))
            else:
                directory.add_file(name, item["content"])
        return directory

    def state(self) -> dict[str, Any]:
        """What the conversation has done: the whole tree, and where it is."""
        return {"root": {self.root.name: _snapshot(self.root)}, "cwd": self._path(self.current)}

    def _path(self, directory: Directory | None) -> str:
        names: list[str] = []
        while directory is not None:
            names.append(directory.name)
            directory = directory.parent
        return "/" + "/".join(reversed(names))

    def _file(self, name: str) -> File | None:
        item = self.current.contents.get(name)
        return item if isinstance(item, File) else None

    def _navigate(self, path: str | None) -> Directory | dict[str, str]:
        if path is None or path == ".":
            return self.current
        if path == "/":
            return self.root
        directory = self.root if path.startswith("/") else self.current
        for name in path.strip("/").split("/"):
            item = directory.get(name)
            if not isinstance(item, Directory):
                return {"error": f"cd: '{path}': No such file or directory"}
            directory = item
        return directory

    def pwd(self) -> dict[str, str]:
        return {"current_working_directory": self._path(self.current)}

    def ls(self, a: bool = False) -> dict[str, list[str]]:
        contents = list(self.current.contents)
        if not a:
            contents = [name for name in contents if not name.startswith(".")]
        return {"current_directory_content": contents}

    def cd(self, folder: str) -> dict[str, str]:
        folder = folder.rstrip("/") or "/"
        if folder not in {".", "..", "/"} and "/" in folder:
            return {"error": f"cd: {folder}: Unsupported path. Only one folder level at a time is supported."}
        if folder == "..":
            if self.current.parent is None:
                return {"error": "Current directory is already the root. Cannot go back."}
            self.current = self.current.parent
            return {}
        target = self._navigate(folder)
        if isinstance(target, dict):
            return target
        self.current = target
        return {"current_working_directory": target.name}

    def mkdir(self, dir_name: str) -> dict[str, str] | None:
        if not _valid_name(dir_name):
            return {"error": f"mkdir: cannot create directory '{dir_name}': Invalid character"}
        if dir_name in self.current.contents:
            return {"error": f"mkdir: cannot create directory '{dir_name}': File exists"}
        self.current.add_directory(dir_name)
        return None

    def touch(self, file_name: str) -> dict[str, str] | None:
        if not _valid_name(file_name):
            return {"error": f"touch: cannot touch '{file_name}': Invalid character"}
        if file_name in self.current.contents:
            return {"error": f"touch: cannot touch '{file_name}': File exists"}
        self.current.add_file(file_name)
        return None

    def echo(self, content: str, file_name: str | None = None) -> dict[str, str] | None:
        if not file_name:
            return {"terminal_output": content}
        if not _valid_name(file_name):
            return {"error": f"echo: cannot write to '{file_name}': Invalid character"}
        item = self.current.contents.get(file_name)
        if item is None:
            return {"error": f"echo: cannot write to '{file_name}': No such file"}
        if isinstance(item, File):
            item.content = content
        return None

    def cat(self, file_name: str) -> dict[str, str]:
        if not _valid_name(file_name):
            return {"error": f"cat: '{file_name}': Invalid character"}
        item = self.current.contents.get(file_name)
        if item is None:
            return {"error": f"cat: '{file_name}': No such file or directory"}
        if isinstance(item, Directory):
            return {"error": f"cat: '{file_name}': Is a directory"}
        return {"file_content": item.content}

    def find(self, path: str = ".", name: str | None = None) -> dict[str, Any]:
        target = self._navigate(path)
        if isinstance(target, dict):
            return {"error": target["error"].replace("cd:", "find:", 1)}
        matches: list[str] = []

        def search(directory: Directory, base: str) -> None:
            for item_name, item in directory.contents.items():
                item_path = f"{base}/{item_name}"
                if name is None or name in item_name:
                    matches.append(item_path)
                if isinstance(item, Directory):
                    search(item, item_path)

        search(target, path.rstrip("/"))
        return {"matches": matches}

    def wc(self, file_name: str, mode: str = "l") -> dict[str, Any]:
        if mode not in ("l", "w", "c"):
            return {"error": f"wc: invalid mode '{mode}'"}
        file = self._file(file_name)
        if file is None:
            return {"error": f"wc: {file_name}: No such file or directory"}
        if mode == "l":
            return {"count": len(file.content.splitlines()), "type": "lines"}
        if mode == "w":
            return {"count": len(file.content.split()), "type": "words"}
        return {"count": len(file.content), "type": "characters"}

    def sort(self, file_name: str) -> dict[str, str]:
        file = self._file(file_name)
        if file is None:
            return {"error": f"sort: {file_name}: No such file or directory"}
        return {"sorted_content": "\n".join(sorted(file.content.splitlines()))}

    def grep(self, file_name: str, pattern: str) -> dict[str, Any]:
        file = self._file(file_name)
        if file is None:
            return {"error": f"grep: {file_name}: No such file or directory"}
        return {"matching_lines": [line for line in file.content.splitlines() if pattern in line]}

    def du(self, human_readable: bool = False) -> dict[str, str]:
        def size(item: File | Directory) -> int:
            if isinstance(item, File):
                return len(item.content.encode("utf-8"))
            return sum(size(child) for child in item.contents.values())

        total: float = size(self.current)
        if not human_readable:
            return {"disk_usage": f"{total} bytes"}
        for unit in ("B", "KB", "MB", "GB", "TB"):
            if total < 1024:
                return {"disk_usage": f"{total:.2f} {unit}"}
            total /= 1024
        return {"disk_usage": f"{total:.2f} PB"}

    def tail(self, file_name: str, lines: int = 10) -> dict[str, str]:
        file = self._file(file_name)
        if file is None:
            return {"error": f"tail: {file_name}: No such file or directory"}
        content = file.content.splitlines()
        lines = min(lines, len(content))
        return {"last_lines": "\n".join(content[-lines:])}

    def diff(self, file_name1: str, file_name2: str) -> dict[str, str]:
        file1, file2 = self._file(file_name1), self._file(file_name2)
        if file1 is None or file2 is None:
            return {"error": f"diff: {file_name1} or {file_name2}: No such file or directory"}
        pairs = zip(file1.content.splitlines(), file2.content.splitlines(), strict=False)
        return {"diff_lines": "\n".join(f"- {one}\n+ {two}" for one, two in pairs if one != two)}

    def _place(self, item: File | Directory, into: Directory, name: str, *, copied: bool) -> None:
        if isinstance(item, File):
            into.add_file(name, item.content)
        else:
            into.add_directory(name).contents = item.contents.copy() if copied else item.contents

    def _transfer(self, verb: str, source: str, destination: str) -> dict[str, str]:
        """mv and cp: into an existing directory, or to a new name beside the source."""
        item = self.current.contents.get(source)
        if item is None:
            return {"error": f"{verb}: cannot {_VERBS[verb]} '{source}': No such file or directory"}
        if "/" in destination:
            return {"error": f"{verb}: path not allowed in destination. Provide only a file or directory name."}
        copied = verb == "cp"
        done = "copied" if copied else "moved"
        target = self.current.contents.get(destination)
        if target is None:
            if not copied:
                self.current.contents.pop(source)
            self._place(item, self.current, destination, copied=copied)
            return {"result": f"'{source}' {done} to '{destination}'"}
        if not isinstance(target, Directory):
            return {"error": f"{verb}: cannot {_VERBS[verb]} '{source}' to '{destination}': Not a directory"}
        if source in target.contents:
            return {"error": f"{verb}: cannot {_VERBS[verb]} '{source}' to '{destination}/{source}': File exists"}
        if not copied:
            self.current.contents.pop(source)
        self._place(item, target, source, copied=copied)
        return {"result": f"'{source}' {done} to '{destination}/{source}'"}

    def mv(self, source: str, destination: str) -> dict[str, str]:
        return self._transfer("mv", source, destination)

    def cp(self, source: str, destination: str) -> dict[str, str]:
        return self._transfer("cp", source, destination)

    def rm(self, file_name: str) -> dict[str, str]:
        if file_name not in self.current.contents:
            return {"error": f"rm: cannot remove '{file_name}': No such file or directory"}
        self.current.contents.pop(file_name)
        return {"result": f"'{file_name}' removed"}

    def rmdir(self, dir_name: str) -> dict[str, str]:
        item = self.current.contents.get(dir_name)
        if item is None:
            return {"error": f"rmdir: cannot remove '{dir_name}': No such file or directory"}
        if not isinstance(item, Directory):
            return {"error": f"rmdir: cannot remove '{dir_name}': Not a directory"}
        if item.contents:
            return {"error": f"rmdir: cannot remove '{dir_name}': Directory not empty"}
        self.current.contents.pop(dir_name)
        return {"result": f"'{dir_name}' removed"}


_VERBS = {"mv": "move", "cp": "copy"}
