"""SecondViewApp: the full-screen app. Screens live in ``screens/``, imported when first shown.

The app owns what the command line resolved (the repository, the content set, the user's
config, the paths) and hands it to its screens. It never reads case files itself: the home
screen paints from the repository's index and refreshes it in a worker thread.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from ..store.config import Config
from . import text

if TYPE_CHECKING:
    from textual.app import SystemCommand
    from textual.command import Provider
    from textual.theme import Theme

    from ..core.case_summary import CaseSummary
    from ..core.content import Content
    from ..store.paths import Paths
    from ..store.repository import CaseRepository
    from .messages.case_opened import CaseOpened
    from .messages.compare_pair_chosen import ComparePairChosen


SWITCH_INTERVAL = 0.001
"""Seconds a thread holds the GIL before another may run (Python's default: 0.005)."""


def _case_commands() -> type[Provider]:
    """The command palette's case commands, imported when the palette first opens."""
    from .commands import CaseCommands

    return CaseCommands


def _search_commands() -> type[Provider]:
    """The command palette's search of every case, imported when the palette first opens."""
    from .search_commands import SearchCommands

    return SearchCommands


class SecondViewApp(App[None]):
    """The case list, the case overview, forms and help, driven from the keyboard.

    ``config`` is the user's settings, read once by the command line (``store.config``):
    ``keys`` remaps bindings by id (``{"home.new": "ctrl+n"}``), ``theme`` names a theme
    (ours, the user's from ``<config>/themes``, or Textual's; a theme chosen in the app,
    saved in state.json, wins), ``export_dir`` is the folder the export dialog suggests.
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses elsewhere work too
    TITLE = "secondview"
    BINDINGS = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            priority=True,
            id="app.quit",
            tooltip="Quit. Every saved change is already on disk.",
        ),
        # priority, so help opens from forms too; an Input still takes a typed "?"
        Binding("question_mark,f1", "help", "Help", priority=True, id="app.help"),
        Binding("g", "guides", "Guides", show=False, id="app.guides",
                tooltip="The guides: when to seek a second opinion, insurance, the visit..."),
    ]
    COMMANDS = App.COMMANDS | {_case_commands, _search_commands}

    def __init__(
        self,
        repo: CaseRepository,
        content: Content | None = None,
        config: Config | None = None,
        paths: Paths | None = None,
        content_loader: Callable[[], Content] | None = None,
        locked: bool = False,
    ) -> None:
        """``content``, or a ``content_loader`` run in a worker after the first frame (reading
        the content files costs more than the first frame may wait for). No ``config``: none
        of the user's settings. ``locked``: the cases folder is sealed and ``repo`` has no
        key yet, so the unlock screen comes before the case list."""
        super().__init__()
        self.repo = repo
        self.locked = locked
        self.content = content
        self._content_loader = content_loader if content is None else None
        self.config: Config = config if config is not None else Config()
        self.paths = paths if paths is not None else repo.paths
        self._startup_warnings: list[str] = []
        self.user_keymap: dict[str, str] = {}
        """Binding id -> keys, from config.yaml's ``keys``."""
        self._apply_config()

    # -- set-up -------------------------------------------------------------------------------

    def _apply_config(self) -> None:
        """Key remaps from the config, and the theme; what the config left out (a setting
        that did not fit, an unknown key) is shown as a warning once the app runs."""
        self._startup_warnings.extend(self.config.warnings)
        if self.config.keys:
            self.user_keymap = dict(self.config.keys)
            self.set_keymap(self.user_keymap)
        self._set_up_themes()

    def _set_up_themes(self) -> None:
        """Register our themes and the user's, then choose one: the last choice (state.json),
        else config.yaml's ``theme``, else ours by default. An unknown name is a warning.

        Reads the theme cache (or the theme files, then rewrites the cache) and state.json.
        """
        from ..store.app_state import AppState
        from . import themes

        found, self._theme_warnings = themes.load_themes(
            themes.theme_dirs(self.paths.config_dir), self.paths.cache_dir / "themes.json"
        )
        for theme in found:
            self.register_theme(theme)
        self._own_themes = tuple(sorted(t.name for t in found))
        """Our themes and the user's: what the palette offers (Textual's stay usable)."""
        self.app_state, state_warning = AppState.load(self.paths.state_file)
        if state_warning:
            self._startup_warnings.append(state_warning)
        default = themes.DEFAULT_THEME
        if default not in self.available_themes:
            default = themes.FALLBACK_THEME
            self._startup_warnings.append(
                f"secondview's own themes are missing (reinstall secondview); using {default}"
            )
        wanted = [
            (self.app_state.theme, f"{self.paths.state_file}: the theme chosen last, '{{}}', "
             "is no longer there (was its file removed?)"),
            (self.config.theme, f"{self.config.where}: there is no theme '{{}}'"),
        ]
        usable = [n for n, _ in wanted if isinstance(n, str) and n in self.available_themes]
        chosen = usable[0] if usable else default
        for name, problem in wanted:
            if name is not None and name not in usable:
                using = f"the default, {chosen}" if chosen == default else chosen
                ours = ", ".join(sorted(t.name for t in found))
                self._startup_warnings.append(
                    problem.format(text.clean(name)) + f"; using {using}. Themes: {ours} "
                    "(ctrl+p, then 'theme', lists them)"
                )
        self._apply_start_theme(chosen)
        self._remembered_theme = chosen
        """The theme state.json will hold after this start; a change to another is saved."""

    def _apply_start_theme(self, name: str) -> None:
        """Set the theme the app starts with, before its stylesheet is first parsed.

        Assigning ``self.theme`` runs Textual's theme watcher, which parses every stylesheet
        a second time once the app runs (work the first frame would wait for). Before the first
        parse there is nothing to redo, so ``set_reactive`` sets the name quietly and the
        watcher's other effects are applied here: the stylesheet's variables (the theme's
        colours, computed once in ``App.__init__``) and the app's theme classes. The watcher also
        swaps the ANSI colour filter between Textual's dark and light terminal palettes; the
        filter was built for a dark theme, so a light theme goes the usual way (watcher and
        all) and stays exactly right.
        """
        theme = self.get_theme(name)
        if theme is None or not theme.dark or not self.current_theme.dark:
            self.theme = name
            return
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())  # the colours: $primary...
        self.add_class(f"-theme-{name}", update=False)
        self.set_class(True, "-dark-mode", update=False)
        self.set_class(False, "-light-mode", update=False)

    def _theme_changed(self, theme: Theme) -> None:
        """Remember the theme the user switched to (palette or otherwise) in state.json.

        Side effect: rewrites state.json (atomic, 0600). A failure is a notification.
        """
        if theme.name == self._remembered_theme:
            return
        from ..store.app_state import AppState

        try:
            self.app_state = AppState.change(self.paths.state_file, theme=theme.name)
        except OSError as exc:
            self.notify(
                f"The theme cannot be remembered for next time: {self.paths.state_file}: "
                f"{exc.strerror or exc}",
                severity="warning",
                markup=False,
            )
            return
        self._remembered_theme = theme.name

    def on_compare_pair_chosen(self, event: ComparePairChosen) -> None:
        """Remember the two opinions chosen on the compare pane for that case (state.json).

        Side effect: rewrites state.json (atomic, 0600). A failure is a notification.
        """
        from ..store.app_state import AppState

        try:
            self.app_state = AppState.remember_pair(self.paths.state_file, event.case_id,
                                                    (event.a_id, event.b_id))
        except (OSError, ValueError) as exc:
            self.notify(f"The opinions compared cannot be remembered for next time: "
                        f"{self.paths.state_file}: {getattr(exc, 'strerror', None) or exc}",
                        severity="warning", markup=False)

    # -- the command palette's themes ----------------------------------------------------------

    def theme_choices(self) -> list[str]:
        """The themes the palette offers: ours and the user's, and the one in use (a Textual
        theme config.yaml named stays listed while it is used). Textual's other two dozen
        stay out: a short list of themes made for this app is easier to choose from."""
        return sorted({*self._own_themes, self.theme})

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette commands, less its "Theme" (ours, "switch theme", opens the same
        picker with the app's themes only)."""
        for command in super().get_system_commands(screen):
            if command.callback != self.action_change_theme:
                yield command

    def search_themes(self) -> None:
        """The theme picker (the palette's "switch theme"), listing ``theme_choices``."""

        def use(name: str) -> None:
            self.theme = name

        self.search_commands([(name, partial(use, name)) for name in self.theme_choices()],
                             placeholder="Search for themes\u2026")

    def get_default_screen(self) -> Screen:
        """The case list, at the bottom of the screen stack (the unlock screen first, in
        its place, when the folder is locked)."""
        if self.locked:
            from .screens.unlock_screen import UnlockScreen

            return UnlockScreen(self.repo)
        from .screens.home_screen import HomeScreen

        return HomeScreen(self.repo, self.paths)

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)
        if not self.is_headless:
            # Textual's writer thread sends each frame to the terminal; with Python's default
            # switch interval a finished frame waited for the GIL while this thread went on
            # (focus, events); a shorter interval sends it sooner (bench/ui_latency.py).
            sys.setswitchinterval(SWITCH_INTERVAL)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._theme_warnings:
            shown = "\n".join(self._theme_warnings[:5])
            more = len(self._theme_warnings) - 5
            self.notify(
                f"Theme files:\n{shown}"
                + (f"\n...and {more} more" if more > 0 else ""),
                severity="warning",
                timeout=15,
                markup=False,
            )
        for warning in self._startup_warnings:
            self.notify(warning, severity="warning", markup=False)
        if self._content_loader is not None:
            self.call_after_refresh(self._load_content)
        else:
            self._content_loaded(self.content)

    def _after_first_frame(self) -> None:
        """Once the first frame is out: what start-up made (Textual's modules and ours, the
        widgets of the list) is moved out of the garbage collector's reach (``gc.freeze``),
        so a full collection then scans only what came after, which takes the pauses out of
        the slowest keys (bench/ui_latency.py measures them); then the collector, held off
        by the command line until now (``cli.entry.main``), runs again. No freezing when
        headless: tests run hundreds of apps in one process, whose objects must be freed."""
        if not self.is_headless:
            gc.freeze()
        gc.enable()

    @work(thread=True, group="content", exit_on_error=False)
    def _load_content(self) -> None:
        """Read the content set off the event loop; problems are told when it is in."""
        assert self._content_loader is not None
        try:
            content = self._content_loader()
        except Exception as exc:  # never fatal: the app works without its content set
            self.call_from_thread(self.notify, f"The checklists and questions could not be "
                                  f"read: {text.clean(exc)}", severity="warning", markup=False)
            return
        self.call_from_thread(self._content_loaded, content)

    def _content_loaded(self, content: Content | None) -> None:
        """Keep the content set and tell the person about any file that was skipped."""
        self.content = content
        problems = getattr(content, "problems", None) or ()
        if problems:
            shown = "\n".join(text.clean(p) for p in list(problems)[:5])
            more = f"\n...and {len(problems) - 5} more" if len(problems) > 5 else ""
            self.notify(
                f"Some checklist or question files were skipped:\n{shown}{more}",
                severity="warning",
                timeout=12,
                markup=False,
            )

    # -- actions ------------------------------------------------------------------------------

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save an SVG screenshot (the palette's "Screenshot"): as Textual's, but the file is
        private (0600, through ``store.screenshots``) and a missing folder is made, since a
        screenshot shows health information. Returns the path saved, or None on failure
        (said in a notification either way)."""
        from datetime import datetime

        from ..store.screenshots import default_folder, save_screenshot

        name = filename or datetime.now().strftime(time_format or "secondview %Y-%m-%d %H-%M-%S")
        name = name if name.endswith(".svg") else f"{name}.svg"
        folder = Path(path).expanduser() if path else default_folder()
        try:
            saved = save_screenshot(folder, name, self.export_screenshot())
        except OSError as exc:
            self.notify(f"The screenshot could not be saved in {folder}: "
                        f"{exc.strerror or exc}", title="Screenshot", severity="error",
                        markup=False)
            return None
        self.notify(f"Saved screenshot to {saved} (readable by you alone)",
                    title="Screenshot", markup=False)
        return str(saved)

    def action_guides(self, guide_id: str | None = None) -> None:
        """Open the guides (at ``guide_id`` if given) over whatever is on screen."""
        from .screens.guide_screen import GuideScreen

        if isinstance(self.screen, GuideScreen):
            return
        guides = list(getattr(self.content, "guides", ()) or ())
        if not guides:
            self.notify("The guides are still loading, or none could be read.", timeout=4)
            return
        self.push_screen(GuideScreen(guides, guide_id))

    def action_help(self) -> None:
        """Open help for the screen in front (or close help if it is already open)."""
        from .screens.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    def _back_home(self) -> bool:
        """Close every screen above the case list; False (and a message) if a form is open."""
        if isinstance(self.screen, ModalScreen):
            self.notify("Close the open form first (escape).", severity="warning")
            return False
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return True

    def action_new_case(self) -> None:
        """Open the new-case form over the case list."""
        if self._back_home():
            self.home.action_new_case()

    def action_agenda(self) -> None:
        """Show the agenda of every case over the case list."""
        if self._back_home():
            from .screens.agenda_screen import AgendaScreen

            self.push_screen(AgendaScreen(self.repo))

    def open_case(self, case_id: str) -> None:
        """Show the case with this id over the list (from the command palette or the list).
        A case that cannot be read says why, then the list is back."""
        if self._back_home():
            from .screens.case_screen import CaseScreen

            self.push_screen(CaseScreen(self.repo, case_id))

    async def open_case_at(self, case_id: str, pane: str, item_id: str) -> None:
        """``open_case`` on ``pane``, its row ``item_id`` highlighted once the case is read
        (a search hit; "" highlights none)."""
        if self._back_home():
            from .screens.case_screen import CaseScreen
            from .widgets.list_pane import ListPane

            screen = CaseScreen(self.repo, case_id, pane)
            await self.push_screen(screen)
            found = screen.query(f"#{pane}").first() if pane.isidentifier() else None
            if isinstance(found, ListPane) and item_id:
                found.show_item(item_id)

    def on_case_opened(self, event: CaseOpened) -> None:
        """The case list opened a case: show it."""
        self.open_case(event.case_id)

    @property
    def home(self) -> Any:
        """The case list screen (the bottom of the stack)."""
        return self.screen_stack[0]

    def known_cases(self) -> list[CaseSummary]:
        """The cases the list shows (archived ones left out); no file is read."""
        return list(getattr(self.home, "summaries", ()))
