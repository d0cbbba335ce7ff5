"""Find a citizen's data anywhere in the objects reachable from the running app.

Runs inside the app's process (bridge command ``citizen_traces``): a walk over
``gc.get_referents`` from the roots, plus every Kivy property value (widget state lives in
Kivy's own storage) and what closures and coroutine frames hold. It does not enter modules,
classes, code or a function's globals: those are the program, not the citizen, and
through them the walk would reach the test's own needles. Reports a readable path to each
``str``, ``bytes`` or ``bytearray`` holding a needle, and the names of the types it went
through (so a test can check the walk reached every holder it means to search).
"""

from __future__ import annotations

import gc
import sys
import types
from collections.abc import Iterable
from typing import Any

PROGRAM = (types.ModuleType, type, types.CodeType, types.BuiltinFunctionType,
           types.WrapperDescriptorType, types.MethodDescriptorType,
           types.GetSetDescriptorType, types.MemberDescriptorType)
TEXT = (str, bytes, bytearray)
LIMIT = 3_000_000  # objects; the kiosk app holds a few hundred thousand


def _text_of(value: str | bytes | bytearray) -> str:
    return value if isinstance(value, str) else bytes(value).decode("utf-8", "replace")


def _children(obj: Any) -> Iterable[tuple[str, Any]]:
    """Each object ``obj`` holds, with a label for the path."""
    from kivy.event import EventDispatcher

    if isinstance(obj, dict):
        for key, value in list(obj.items()):
            yield f"[{key!r:.40}]", value
            yield "<key>", key
        return
    if isinstance(obj, types.FunctionType):
        for cell in obj.__closure__ or ():
            yield f"<closure of {obj.__qualname__}>", cell
        yield "<defaults>", obj.__defaults__
        yield "<kwdefaults>", obj.__kwdefaults__
        return
    if isinstance(obj, types.FrameType):
        yield f"<locals of {obj.f_code.co_qualname}>", dict(obj.f_locals)
        return
    if isinstance(obj, EventDispatcher):  # its property values are not in a __dict__
        yield "<kivy properties>", {name: getattr(obj, name) for name in obj.properties()}
    for child in gc.get_referents(obj):
        yield f"<{type(child).__name__}>", child


def traces(roots: dict[str, Any], needles: list[str]) -> tuple[list[str], set[str]]:
    """Paths from ``roots`` to every text holding one of ``needles``; the types walked."""
    program = {id(module.__dict__) for module in list(sys.modules.values()) if module}
    program.add(id(needles))
    seen: set[int] = set(program)
    found: list[str] = []
    walked: set[str] = set()
    stack: list[tuple[Any, str]] = [(root, name) for name, root in roots.items()]
    while stack and len(seen) < LIMIT:
        obj, path = stack.pop()
        try:
            if id(obj) in seen or obj is None or isinstance(obj, PROGRAM):
                continue
            seen.add(id(obj))
            walked.add(type(obj).__name__)
            if isinstance(obj, TEXT):
                text = _text_of(obj)
                hits = [needle for needle in needles if needle in text]
                if hits:
                    found.append(f"{path} = {text[:120]!r} (holds {', '.join(hits)})")
                continue
            children = list(_children(obj))
        except ReferenceError:  # a weak proxy whose widget is gone holds nothing
            continue
        for label, child in children:
            if id(child) not in seen:
                stack.append((child, f"{path}.{label}" if len(path) < 600 else path))
    if stack:
        found.append(f"walk stopped after {LIMIT} objects: the app holds more than expected")
    return found, walked
