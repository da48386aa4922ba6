"""Slack listeners. Each surface package registers its own modules; see `register_handlers`."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from slack_bolt import App

from bot.deps import Deps
from handlers import actions, commands, errors, events, middleware, views


def _register_package_modules(app: App, deps: Deps, package: ModuleType) -> None:
    """Call `register(app, deps)` in every module of a surface package, in name order."""
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app, deps)


def register_handlers(app: App, deps: Deps) -> None:
    """Wire every listener: middleware, commands, actions, views, events, errors."""
    middleware.register(app, deps)
    commands.register(app, deps)
    for package in (actions, views, events):
        _register_package_modules(app, deps, package)
    errors.register(app, deps)
