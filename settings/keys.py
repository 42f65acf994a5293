"""Every key binding in one table: ids (what a config keymap names), default keys, actions.

Plain data, no Textual: the TUI builds its `BINDINGS` from this table (`tui.keys`), the help
screen and `factmark config` list it, and the config loader checks keymap ids against it, so the
three can never disagree. To add a binding: one row here, with the action on the widget or screen
of its scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import KW_ONLY, dataclass

from vocabulary.labels import LabelDef


@dataclass(frozen=True)
class KeySpec:
    """One remappable binding: `scope` is where it is active (app, article, annotate, pane, ...).

    `show`: listed in the footer; `key_display`: how the footer writes the key; `priority`: the
    binding wins over the focused widget's own keys.
    """

    id: str
    key: str
    action: str
    description: str
    scope: str
    _: KW_ONLY
    show: bool = True
    key_display: str | None = None
    priority: bool = False


SCOPE_TITLES: dict[str, str] = {
    "app": "Everywhere",
    "article": "Article text: move and select",
    "annotate": "Annotating",
    "pane": "Annotation pane",
    "library": "Library",
    "claims": "Claims desk",
    "search": "Corpus search",
    "review-list": "Review: documents",
    "review": "Review: one document",
    "candidates": "Review: candidate list",
    "dialog": "Note dialog and find bar",
    "find": "Find bar",
    "picker": "Link picker",
    "confirm": "Confirming a step",
    "entity-picker": "Entity picker",
    "check": "Check form",
    "check-claimant": "Check form: claimant",
    "check-evidence": "Check form: evidence list",
    "check-appearances": "Check form: appearances list",
    "evidence-dialog": "Evidence item editor",
    "help": "Help screen",
    "panel": "Agreement panel",
}

KEY_SPECS: tuple[KeySpec, ...] = (
    KeySpec("quit", "q,ctrl+q", "quit", "Quit", "app", key_display="q"),
    # Not in the footer's run of keys: the footer shows it first, apart (tui.widgets.steady_footer).
    KeySpec("help", "question_mark", "help", "Help", "app", key_display="?", show=False),
    # F1 as a priority key: it reaches help from a text field (where `?` is typed) and from a
    # dialog (a modal screen's keys stop the app's ordinary ones).
    KeySpec("help-anywhere", "f1", "help", "Help", "app", show=False, priority=True),
    KeySpec(
        "command-palette", "ctrl+p", "command_palette", "Commands", "app", show=False, priority=True
    ),
    KeySpec("cursor-left", "left", "move('left')", "Character left", "article", show=False),
    KeySpec("cursor-right", "right", "move('right')", "Character right", "article", show=False),
    KeySpec("cursor-up", "up", "move('up')", "Line up", "article", show=False),
    KeySpec("cursor-down", "down", "move('down')", "Line down", "article", show=False),
    KeySpec("word-next", "w", "move('word_next')", "Next word", "article", show=False),
    KeySpec("word-previous", "b", "move('word_previous')", "Previous word", "article", show=False),
    KeySpec("line-start", "home", "move('line_start')", "Start of line", "article", show=False),
    KeySpec("line-end", "end", "move('line_end')", "End of line", "article", show=False),
    KeySpec("page-up", "pageup", "move('page_up')", "Page up", "article", show=False),
    KeySpec("page-down", "pagedown", "move('page_down')", "Page down", "article", show=False),
    KeySpec(
        "text-start", "ctrl+home", "move('text_start')", "Start of text", "article", show=False
    ),
    KeySpec("text-end", "ctrl+end", "move('text_end')", "End of text", "article", show=False),
    KeySpec("select-left", "shift+left", "select('left')", "Extend left", "article", show=False),
    KeySpec(
        "select-right", "shift+right", "select('right')", "Extend right", "article", show=False
    ),
    KeySpec("select-up", "shift+up", "select('up')", "Extend up", "article", show=False),
    KeySpec("select-down", "shift+down", "select('down')", "Extend down", "article", show=False),
    KeySpec(
        "select-word-next",
        "W,shift+w",
        "select('word_next')",
        "Extend to next word",
        "article",
        show=False,
    ),
    KeySpec(
        "select-word-previous",
        "B,shift+b",
        "select('word_previous')",
        "Extend to previous word",
        "article",
        show=False,
    ),
    KeySpec(
        "select-line-start",
        "shift+home",
        "select('line_start')",
        "Extend to line start",
        "article",
        show=False,
    ),
    KeySpec(
        "select-line-end",
        "shift+end",
        "select('line_end')",
        "Extend to line end",
        "article",
        show=False,
    ),
    KeySpec(
        "select-page-up",
        "shift+pageup",
        "select('page_up')",
        "Extend a page up",
        "article",
        show=False,
    ),
    KeySpec(
        "select-page-down",
        "shift+pagedown",
        "select('page_down')",
        "Extend a page down",
        "article",
        show=False,
    ),
    KeySpec("toggle-anchor", "v", "toggle_anchor", "Start/stop selecting", "article", show=False),
    KeySpec(
        "clear-selection", "escape", "clear_selection", "Clear selection", "article", show=False
    ),
    # Text objects (tui/text_objects.py): pressed again, the next larger one; a count first
    # (`2s`) takes that many. Digits before a motion are a count unless they are label keys.
    KeySpec(
        "object-sentence",
        "s",
        "select_object('sentence')",
        "Select sentence",
        "article",
        show=False,
    ),
    KeySpec(
        "object-clause", "comma", "select_object('clause')", "Select clause", "article", show=False
    ),
    KeySpec(
        "object-quotation",
        "quotation_mark",
        "select_object('quotation')",
        "Select inside quotes (again: with them)",
        "article",
        show=False,
    ),
    KeySpec(
        "object-parenthesis",
        "left_parenthesis,right_parenthesis",
        "select_object('parenthesis')",
        "Select inside brackets (again: with them)",
        "article",
        show=False,
    ),
    KeySpec(
        "find-char",
        "f",
        "find_char('next')",
        "Jump to the next typed character",
        "article",
        show=False,
    ),
    KeySpec(
        "find-char-again",
        "semicolon",
        "repeat_find_char",
        "Jump to the same character again",
        "article",
        show=False,
    ),
    KeySpec(
        "find-char-back",
        "F",
        "find_char('previous')",
        "Jump back to a typed character",
        "article",
        show=False,
    ),
    KeySpec("delete-span", "x,delete", "delete_span", "Remove", "annotate", key_display="x"),
    KeySpec("undo", "u", "undo", "Undo", "annotate"),
    KeySpec("redo", "ctrl+r", "redo", "Redo", "annotate", show=False),
    KeySpec(
        "span-previous",
        "left_square_bracket",
        "span('previous')",
        "Previous span",
        "annotate",
        show=False,
        key_display="[",
    ),
    KeySpec(
        "span-next",
        "right_square_bracket",
        "span('next')",
        "Next span",
        "annotate",
        show=False,
        key_display="]",
    ),
    KeySpec("toggle-focus", "tab", "toggle_focus", "Text / pane", "annotate", show=False),
    KeySpec("find", "slash", "find", "Find", "annotate", key_display="/", priority=True),
    KeySpec("find-next", "n", "find_next", "Find next", "annotate", show=False),
    KeySpec("edit-note", "e", "edit_note", "Note", "annotate", priority=True),
    KeySpec("link-start", "l", "link", "Link", "annotate"),
    KeySpec("link-remove", "L,shift+l", "remove_link", "Remove link", "annotate", key_display="L"),
    KeySpec("name-entity", "enter", "name_entity", "Entity", "annotate", key_display="⏎"),
    KeySpec("mark-done", "d", "mark_done", "Done", "annotate"),
    KeySpec(
        "edit-metadata",
        "M,shift+m",
        "edit_metadata",
        "Correct title, outlet, byline, date, URL",
        "annotate",
        show=False,
        key_display="M",
    ),
    KeySpec("toggle-pane", "p", "toggle_pane", "Show/hide pane", "annotate", show=False),
    KeySpec("open-library", "escape", "open_library", "Library", "annotate", show=False),
    # Suggestions (tui/screens/suggestions.py): dotted marks the rules propose, never spans.
    KeySpec("accept-suggestion", "a", "accept_suggestion", "Accept", "annotate"),
    KeySpec("reject-suggestion", "r", "reject_suggestion", "Reject", "annotate", show=False),
    KeySpec(
        "accept-all-suggestions",
        "A",
        "accept_all_suggestions",
        "Accept all of a label (then its key)",
        "annotate",
        show=False,
    ),
    KeySpec(
        "toggle-suggestions",
        "S",
        "toggle_suggestions",
        "Show/hide suggestions",
        "annotate",
        show=False,
    ),
    # Checks (tui/screens/check_flow.py, check_form.py): a claim span's corpus-wide work item.
    KeySpec("open-check", "c", "open_check", "Check", "annotate"),
    KeySpec(
        "evidence-from-text",
        "E,shift+e",
        "evidence_from_text",
        "Use as evidence for a check",
        "annotate",
        show=False,
        key_display="E",
    ),
    KeySpec("jump-to-span", "enter", "jump_to_span", "Go to span", "pane"),
    KeySpec("library-open", "enter", "open_document", "Open", "library"),
    KeySpec("library-down", "down", "move_row(1)", "Next document", "library", show=False),
    KeySpec("library-up", "up", "move_row(-1)", "Previous document", "library", show=False),
    KeySpec("library-page-down", "pagedown", "move_row(10)", "Page down", "library", show=False),
    KeySpec("library-page-up", "pageup", "move_row(-10)", "Page up", "library", show=False),
    KeySpec(
        "library-clear-filter", "escape", "clear_filter", "Clear filter", "library", show=False
    ),
    # The filter is entered with `/` (as in review's list and in find), so q and ? stay keys.
    KeySpec("library-filter", "slash", "filter", "Filter", "library", key_display="/"),
    KeySpec("library-next", "ctrl+n", "open_next", "Next unfinished", "library"),
    # Control keys, as before the filter was entered with `/`: hands that learnt them keep them.
    KeySpec("library-review", "ctrl+r", "open_review", "Review", "library"),
    KeySpec("library-agreement", "ctrl+g", "show_agreement", "Agreement", "library"),
    KeySpec("library-claims", "ctrl+l", "open_claims", "Claims", "library"),
    # The claims desk: `/` enters the filter (its terms are in help), as in the library.
    KeySpec("claims-filter", "slash", "filter", "Filter", "claims", key_display="/"),
    KeySpec("claims-open", "enter", "open_check", "Open check", "claims"),
    KeySpec("claims-down", "down", "move_row(1)", "Next check", "claims", show=False),
    KeySpec("claims-up", "up", "move_row(-1)", "Previous check", "claims", show=False),
    KeySpec("claims-page-down", "pagedown", "move_row(10)", "Page down", "claims", show=False),
    KeySpec("claims-page-up", "pageup", "move_row(-10)", "Page up", "claims", show=False),
    KeySpec("claims-back", "escape", "back", "Clear filter / library", "claims"),
    # F1 as well as `?`: help from inside the filter, where `?` is a character.
    KeySpec("claims-help", "f1", "help", "Help", "claims", show=False),
    KeySpec("library-search", "ctrl+f", "open_search", "Search all texts", "library"),
    # Refresh: read again what other annotators (other processes) saved since the screen was
    # drawn; the screens also re-read when shown again and when the terminal regains focus.
    KeySpec("library-refresh", "f5", "reload", "Refresh", "library"),
    KeySpec("review-list-refresh", "f5", "reload", "Refresh", "review-list"),
    KeySpec("review-refresh", "f5", "reload", "Refresh", "review", show=False),
    # The search screen (tui/screens/search.py). Priority keys: the results list would take
    # enter first; in the query field they are refused (check_action), so typing is typing.
    KeySpec(
        "search-open",
        "enter",
        "open_hit",
        "Open at the match",
        "search",
        key_display="⏎",
        priority=True,
    ),
    KeySpec("search-attach", "c", "attach", "Attach to the check", "search", priority=True),
    KeySpec(
        "search-new",
        "slash",
        "focus_query",
        "New search",
        "search",
        key_display="/",
        priority=True,
    ),
    KeySpec("search-results", "down", "focus_results", "Results", "search", show=False),
    KeySpec("search-back", "escape", "back", "Back", "search"),
    KeySpec("review-list-open", "enter", "open_document", "Review document", "review-list"),
    KeySpec(
        "review-list-agreement",
        "A,ctrl+g",
        "show_agreement",
        "Agreement",
        "review-list",
        key_display="A",
    ),
    KeySpec("review-list-filter", "slash", "filter", "Filter", "review-list", key_display="/"),
    KeySpec("review-list-back", "escape", "open_library", "Library", "review-list"),
    KeySpec("review-accept", "a", "accept", "Accept version", "review"),
    KeySpec("review-reject", "r", "reject", "Reject", "review"),
    KeySpec("review-edit", "e", "edit_extent", "Set boundaries", "review"),
    KeySpec("review-adjudicated", "d", "toggle_adjudicated", "Adjudicated", "review"),
    KeySpec("review-names", "h", "toggle_names", "Hide/show names", "review"),
    KeySpec(
        "review-previous",
        "left_square_bracket",
        "item('previous')",
        "Previous candidate",
        "review",
        show=False,
        key_display="[",
    ),
    KeySpec(
        "review-next",
        "right_square_bracket",
        "item('next')",
        "Next candidate",
        "review",
        show=False,
        key_display="]",
    ),
    KeySpec("review-next-open", "n", "item('open')", "Next open candidate", "review"),
    KeySpec("candidates-down", "down", "move_row(1)", "Next row", "candidates", show=False),
    KeySpec("candidates-up", "up", "move_row(-1)", "Previous row", "candidates", show=False),
    KeySpec(
        "candidates-page-down", "pagedown", "move_row(10)", "Page down", "candidates", show=False
    ),
    KeySpec("candidates-page-up", "pageup", "move_row(-10)", "Page up", "candidates", show=False),
    KeySpec("candidates-first", "home", "first_row", "First row", "candidates", show=False),
    KeySpec("candidates-last", "end", "last_row", "Last row", "candidates", show=False),
    KeySpec("candidates-choose", "enter", "choose_row", "Go to it in the text", "candidates"),
    KeySpec("review-undo", "u", "undo", "Undo", "review"),
    KeySpec("review-redo", "ctrl+r", "redo", "Redo", "review", show=False),
    KeySpec(
        "review-focus", "tab", "toggle_focus", "Text / candidates / links", "review", show=False
    ),
    KeySpec("review-back", "escape", "open_review_list", "Documents", "review", show=False),
    KeySpec("dialog-cancel", "escape", "cancel", "Cancel", "dialog"),
    KeySpec("find-exact", "ctrl+t", "toggle_exact", "Exact case and accents on/off", "find"),
    KeySpec("confirm-yes", "enter", "confirm", "Confirm", "confirm"),
    KeySpec("confirm-no", "escape", "cancel", "Cancel", "confirm"),
    KeySpec("picker-down", "down", "move(1)", "Next row", "picker", show=False),
    KeySpec("picker-up", "up", "move(-1)", "Previous row", "picker", show=False),
    KeySpec("picker-page-down", "pagedown", "move(10)", "Page down", "picker", show=False),
    KeySpec("picker-page-up", "pageup", "move(-10)", "Page up", "picker", show=False),
    KeySpec("picker-pick", "enter", "pick", "Pick", "picker"),
    KeySpec("picker-cancel", "escape", "cancel", "Cancel", "picker"),
    KeySpec("entity-down", "down", "move(1)", "Next entity", "entity-picker", show=False),
    KeySpec("entity-up", "up", "move(-1)", "Previous entity", "entity-picker", show=False),
    KeySpec("entity-page-down", "pagedown", "move(10)", "Page down", "entity-picker", show=False),
    KeySpec("entity-page-up", "pageup", "move(-10)", "Page up", "entity-picker", show=False),
    KeySpec("entity-new", "ctrl+n", "new_entity", "New entity", "entity-picker"),
    KeySpec("entity-clear", "ctrl+l", "clear_entity", "No entity", "entity-picker"),
    KeySpec("entity-cancel", "escape", "cancel", "Cancel", "entity-picker"),
    # The check form: inputs take letters, so its own keys are control keys (and lists' keys).
    KeySpec("check-back", "escape", "back", "Back", "check"),
    KeySpec("check-save", "ctrl+s", "save_field", "Save field", "check"),
    KeySpec("check-search", "ctrl+f", "search", "Search for appearances", "check"),
    KeySpec("claimant-pick", "enter", "pick", "Pick claimant", "check-claimant"),
    KeySpec("evidence-add", "a,insert", "add_evidence", "Add evidence", "check-evidence"),
    KeySpec("evidence-edit", "enter", "edit_evidence", "Edit", "check-evidence"),
    KeySpec("evidence-remove", "x,delete", "remove_evidence", "Remove", "check-evidence"),
    KeySpec("appearance-open", "enter", "open_appearance", "Open at the span", "check-appearances"),
    KeySpec("evidence-save", "ctrl+s", "save", "Save", "evidence-dialog"),
    KeySpec("evidence-cancel", "escape", "cancel", "Cancel", "evidence-dialog"),
    KeySpec("help-close", "escape,question_mark,q", "dismiss", "Close help", "help"),
    KeySpec("panel-close", "escape,q,A", "dismiss", "Close", "panel"),
)

_SPECS_BY_ID: dict[str, KeySpec] = {spec.id: spec for spec in KEY_SPECS}


def label_binding_id(label: str) -> str:
    """The keymap id of the binding that applies `label`."""
    return f"label-{label}"


def label_key_specs(labels: Iterable[LabelDef]) -> tuple[KeySpec, ...]:
    """Bindings for the configured label set (their keys come from the label definitions).

    The review screen uses the same bindings (and so the same keymap ids): there a label key
    adds the selection to gold.
    """
    return tuple(
        KeySpec(
            label_binding_id(label.name),
            label.key,
            f"label({label.name!r})",
            label.name.capitalize(),
            "annotate",
        )
        for label in labels
    )


def known_binding_ids(labels: Iterable[LabelDef]) -> frozenset[str]:
    """Every id a keymap may name with this label set."""
    return frozenset(_SPECS_BY_ID) | {label_binding_id(label.name) for label in labels}


def effective_keys(
    labels: Iterable[LabelDef], keymap: Mapping[str, str]
) -> list[tuple[KeySpec, str]]:
    """Every binding with the keys in force once `keymap` is applied, in table order."""
    scopes = list(SCOPE_TITLES)
    specs = sorted((*label_key_specs(labels), *KEY_SPECS), key=lambda s: scopes.index(s.scope))
    return [(spec, keymap.get(spec.id, spec.key)) for spec in specs]


def display_keys(keys: str) -> str:
    """Keys as a person types them: 'left_square_bracket,ctrl+r' -> '[ ctrl+r'."""
    return " ".join(_display_key(key.strip()) for key in keys.split(","))


_KEY_GLYPHS = {
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "slash": "/",
    "question_mark": "?",
    "delete": "del",
    "escape": "esc",
    "comma": ",",
    "semicolon": ";",
    "quotation_mark": '"',
    "left_parenthesis": "(",
    "right_parenthesis": ")",
}


def _display_key(key: str) -> str:
    *modifiers, name = key.split("+")
    return "+".join([*modifiers, _KEY_GLYPHS.get(name, name)])
