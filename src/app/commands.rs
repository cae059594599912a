//! Every user action of the window as one [`UiCommand`], with its text and
//! keyboard shortcuts. Menus, the shortcut handler and the shortcuts window
//! all go through this list (the pattern of rerun's `UICommand`), so a
//! shortcut shown is a shortcut that works.
//!
//! Label hotkeys (S, C, T by default) come from the project's schema and are
//! matched in [`label_hotkey`]; the test below checks they do not collide
//! with a command.
//!
//! Review keys ([`Scope::Review`]: A, Enter, X, Backspace, J, K, Shift+A)
//! are listened to only in review mode (while the review panel is open) and
//! only when no text field has the keyboard. There they take precedence over
//! the text keys they shadow (Enter: inspector, Backspace: delete), which
//! are listed in [`REVIEW_SHADOWS`]. Curation keys ([`Scope::Curate`]: 1–9,
//! A, N, 0, J, K) likewise only in curation mode, which is never on together
//! with review mode, so the two share A, J and K; no other two commands
//! share a key.

use eframe::egui;
use egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UiCommand {
    NewFromFiles,
    Open,
    Save,
    SaveAs,
    AddDocuments,
    Export,
    Quit,
    Undo,
    Redo,
    Find,
    FindInProject,
    FindNext,
    FindPrevious,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ThemeLight,
    ThemeDark,
    ToggleDocuments,
    CompactDocuments,
    ToggleInspector,
    Shortcuts,
    AnnotationGuide,
    About,
    MarkDoneNext,
    MarkTodo,
    NextDocument,
    PreviousDocument,
    WordRight,
    WordLeft,
    ExtendWordRight,
    ExtendWordLeft,
    SentenceNext,
    SentencePrevious,
    ExtendSentenceNext,
    ExtendSentencePrevious,
    PageDown,
    PageUp,
    DocumentStart,
    DocumentEnd,
    NextSpan,
    PreviousSpan,
    GrowEnd,
    ShrinkEnd,
    GrowStart,
    ShrinkStart,
    DeleteSpan,
    OpenInspector,
    ClearSelection,
    ToggleSuggestions,
    RunRulesDocument,
    RunRulesProject,
    ReviewPanel,
    RulesPanel,
    RuleEditor,
    ReviewAccept,
    ReviewReject,
    ReviewNext,
    ReviewPrevious,
    ReviewAcceptRule,
    CurationMode,
    /// Curation: settle the current disagreement by its version 1–9.
    CuratePick(u8),
    CurateKeepAll,
    CurateNone,
    CurateNext,
    CuratePrevious,
}

/// Text commands whose keys the review keys take over in review mode.
pub const REVIEW_SHADOWS: &[UiCommand] = &[UiCommand::OpenInspector, UiCommand::DeleteSpan];

/// Where a command's shortcut is listened to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Always, even while typing in a text field.
    Global,
    /// Only when no text field has the keyboard: annotation keys.
    Text,
    /// Only in review mode, when no text field has the keyboard; before
    /// the text keys.
    Review,
    /// Only in curation mode, when no text field has the keyboard; before
    /// the text keys.
    Curate,
}

/// Which keys a mode of the window adds: review mode's, curation mode's,
/// or none (the two modes are never on together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Annotate,
    Review,
    Curate,
}

impl Mode {
    /// The scope of the keys this mode adds.
    fn scope(self) -> Option<Scope> {
        match self {
            Mode::Annotate => None,
            Mode::Review => Some(Scope::Review),
            Mode::Curate => Some(Scope::Curate),
        }
    }
}

const fn sc(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const SHIFT: Modifiers = Modifiers::SHIFT;
const ALT: Modifiers = Modifiers::ALT;
const ALT_SHIFT: Modifiers = Modifiers::ALT.plus(Modifiers::SHIFT);
const NONE: Modifiers = Modifiers::NONE;

impl UiCommand {
    pub const ALL: &'static [UiCommand] = &[
        UiCommand::NewFromFiles,
        UiCommand::Open,
        UiCommand::Save,
        UiCommand::SaveAs,
        UiCommand::AddDocuments,
        UiCommand::Export,
        UiCommand::Quit,
        UiCommand::Undo,
        UiCommand::Redo,
        UiCommand::Find,
        UiCommand::FindInProject,
        UiCommand::FindNext,
        UiCommand::FindPrevious,
        UiCommand::ZoomIn,
        UiCommand::ZoomOut,
        UiCommand::ZoomReset,
        UiCommand::ThemeLight,
        UiCommand::ThemeDark,
        UiCommand::ToggleDocuments,
        UiCommand::CompactDocuments,
        UiCommand::ToggleInspector,
        UiCommand::Shortcuts,
        UiCommand::AnnotationGuide,
        UiCommand::About,
        UiCommand::MarkDoneNext,
        UiCommand::MarkTodo,
        UiCommand::NextDocument,
        UiCommand::PreviousDocument,
        UiCommand::WordRight,
        UiCommand::WordLeft,
        UiCommand::ExtendWordRight,
        UiCommand::ExtendWordLeft,
        UiCommand::SentenceNext,
        UiCommand::SentencePrevious,
        UiCommand::ExtendSentenceNext,
        UiCommand::ExtendSentencePrevious,
        UiCommand::PageDown,
        UiCommand::PageUp,
        UiCommand::DocumentStart,
        UiCommand::DocumentEnd,
        UiCommand::NextSpan,
        UiCommand::PreviousSpan,
        UiCommand::GrowEnd,
        UiCommand::ShrinkEnd,
        UiCommand::GrowStart,
        UiCommand::ShrinkStart,
        UiCommand::DeleteSpan,
        UiCommand::OpenInspector,
        UiCommand::ClearSelection,
        UiCommand::ToggleSuggestions,
        UiCommand::RunRulesDocument,
        UiCommand::RunRulesProject,
        UiCommand::ReviewPanel,
        UiCommand::RulesPanel,
        UiCommand::RuleEditor,
        UiCommand::ReviewAccept,
        UiCommand::ReviewReject,
        UiCommand::ReviewNext,
        UiCommand::ReviewPrevious,
        UiCommand::ReviewAcceptRule,
        UiCommand::CurationMode,
        UiCommand::CuratePick(1),
        UiCommand::CuratePick(2),
        UiCommand::CuratePick(3),
        UiCommand::CuratePick(4),
        UiCommand::CuratePick(5),
        UiCommand::CuratePick(6),
        UiCommand::CuratePick(7),
        UiCommand::CuratePick(8),
        UiCommand::CuratePick(9),
        UiCommand::CurateKeepAll,
        UiCommand::CurateNone,
        UiCommand::CurateNext,
        UiCommand::CuratePrevious,
    ];

    /// The text in menus and in the shortcuts window.
    pub fn text(self) -> &'static str {
        use UiCommand::*;
        match self {
            NewFromFiles => "New project from files…",
            Open => "Open…",
            Save => "Save",
            SaveAs => "Save As…",
            AddDocuments => "Add documents…",
            Export => "Export…",
            Quit => "Quit",
            Undo => "Undo",
            Redo => "Redo",
            Find => "Find in document",
            FindInProject => "Find in project",
            FindNext => "Next match",
            FindPrevious => "Previous match",
            ZoomIn => "Zoom in",
            ZoomOut => "Zoom out",
            ZoomReset => "Reset zoom",
            ThemeLight => "Light theme",
            ThemeDark => "Dark theme",
            ToggleDocuments => "Document list",
            CompactDocuments => "Compact document list",
            ToggleInspector => "Inspector",
            Shortcuts => "Keyboard shortcuts",
            AnnotationGuide => "Annotation guide",
            About => "About Sayso",
            MarkDoneNext => "Mark done, go to next",
            MarkTodo => "Set back to to do",
            NextDocument => "Next document",
            PreviousDocument => "Previous document",
            WordRight => "Caret one word right",
            WordLeft => "Caret one word left",
            ExtendWordRight => "Extend selection one word right",
            ExtendWordLeft => "Extend selection one word left",
            SentenceNext => "Caret to next sentence",
            SentencePrevious => "Caret to previous sentence",
            ExtendSentenceNext => "Extend selection to next sentence",
            ExtendSentencePrevious => "Extend selection to previous sentence",
            PageDown => "Scroll a screen down, the caret along",
            PageUp => "Scroll a screen up, the caret along",
            DocumentStart => "Caret to start of document",
            DocumentEnd => "Caret to end of document",
            NextSpan => "Select next span",
            PreviousSpan => "Select previous span",
            GrowEnd => "Span end one word right",
            ShrinkEnd => "Span end one word left",
            GrowStart => "Span start one word left",
            ShrinkStart => "Span start one word right",
            DeleteSpan => "Delete selected span",
            OpenInspector => "Edit selected span in the inspector",
            ClearSelection => "Clear selection",
            ToggleSuggestions => "Show / hide pending suggestions",
            RunRulesDocument => "Run rules on this document",
            RunRulesProject => "Run rules on the whole project",
            ReviewPanel => "Review suggestions (review mode)",
            RulesPanel => "Rules and their statistics",
            RuleEditor => "Edit the rule file",
            ReviewAccept => "Review: accept, go to next",
            ReviewReject => "Review: reject, go to next",
            ReviewNext => "Review: next suggestion",
            ReviewPrevious => "Review: previous suggestion",
            ReviewAcceptRule => "Review: accept all pending of this rule in the document",
            CurationMode => "Curation mode",
            CuratePick(n) => match n {
                1 => "Curation: pick version 1",
                2 => "Curation: pick version 2",
                3 => "Curation: pick version 3",
                4 => "Curation: pick version 4",
                5 => "Curation: pick version 5",
                6 => "Curation: pick version 6",
                7 => "Curation: pick version 7",
                8 => "Curation: pick version 8",
                _ => "Curation: pick version 9",
            },
            CurateKeepAll => "Curation: keep all versions",
            CurateNone => "Curation: none of the versions (remove the item's spans)",
            CurateNext => "Curation: next disagreement",
            CuratePrevious => "Curation: previous disagreement",
        }
    }

    /// The keyboard shortcuts; the first is the one shown in menus.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        use UiCommand::*;
        match self {
            NewFromFiles => vec![sc(CTRL, Key::N)],
            Open => vec![sc(CTRL, Key::O)],
            Save => vec![sc(CTRL, Key::S)],
            SaveAs => vec![sc(CTRL_SHIFT, Key::S)],
            AddDocuments => vec![sc(CTRL_SHIFT, Key::O)],
            Export => vec![sc(CTRL, Key::E)],
            Quit => vec![sc(CTRL, Key::Q)],
            Undo => vec![sc(CTRL, Key::Z)],
            Redo => vec![sc(CTRL_SHIFT, Key::Z), sc(CTRL, Key::Y)],
            Find => vec![sc(CTRL, Key::F)],
            FindInProject => vec![sc(CTRL_SHIFT, Key::F)],
            FindNext => vec![sc(NONE, Key::F3)],
            FindPrevious => vec![sc(SHIFT, Key::F3)],
            ZoomIn => vec![sc(CTRL, Key::Plus), sc(CTRL, Key::Equals)],
            ZoomOut => vec![sc(CTRL, Key::Minus)],
            ZoomReset => vec![sc(CTRL, Key::Num0)],
            ThemeLight | ThemeDark | MarkTodo | AnnotationGuide | About => vec![],
            ToggleDocuments => vec![sc(CTRL, Key::B)],
            CompactDocuments => vec![],
            ToggleInspector => vec![sc(CTRL, Key::I)],
            Shortcuts => vec![sc(NONE, Key::F1), sc(NONE, Key::Questionmark)],
            MarkDoneNext => vec![sc(CTRL, Key::Enter)],
            NextDocument => vec![sc(CTRL, Key::PageDown)],
            PreviousDocument => vec![sc(CTRL, Key::PageUp)],
            WordRight => vec![sc(NONE, Key::ArrowRight)],
            WordLeft => vec![sc(NONE, Key::ArrowLeft)],
            ExtendWordRight => vec![sc(SHIFT, Key::ArrowRight)],
            ExtendWordLeft => vec![sc(SHIFT, Key::ArrowLeft)],
            SentenceNext => vec![sc(NONE, Key::ArrowDown)],
            SentencePrevious => vec![sc(NONE, Key::ArrowUp)],
            ExtendSentenceNext => vec![sc(SHIFT, Key::ArrowDown)],
            ExtendSentencePrevious => vec![sc(SHIFT, Key::ArrowUp)],
            PageDown => vec![sc(NONE, Key::PageDown)],
            PageUp => vec![sc(NONE, Key::PageUp)],
            DocumentStart => vec![sc(CTRL, Key::Home)],
            DocumentEnd => vec![sc(CTRL, Key::End)],
            NextSpan => vec![sc(NONE, Key::Tab)],
            PreviousSpan => vec![sc(SHIFT, Key::Tab)],
            GrowEnd => vec![sc(ALT, Key::ArrowRight)],
            ShrinkEnd => vec![sc(ALT, Key::ArrowLeft)],
            GrowStart => vec![sc(ALT_SHIFT, Key::ArrowLeft)],
            ShrinkStart => vec![sc(ALT_SHIFT, Key::ArrowRight)],
            DeleteSpan => vec![sc(NONE, Key::Delete), sc(NONE, Key::Backspace)],
            OpenInspector => vec![sc(NONE, Key::Enter)],
            ClearSelection => vec![sc(NONE, Key::Escape)],
            ToggleSuggestions => vec![sc(NONE, Key::H)],
            RunRulesDocument => vec![sc(NONE, Key::F5)],
            RunRulesProject => vec![sc(SHIFT, Key::F5)],
            ReviewPanel => vec![sc(CTRL, Key::R)],
            RulesPanel => vec![sc(CTRL_SHIFT, Key::R)],
            RuleEditor => vec![sc(CTRL_SHIFT, Key::E)],
            ReviewAccept => vec![sc(NONE, Key::A), sc(NONE, Key::Enter)],
            ReviewReject => vec![sc(NONE, Key::X), sc(NONE, Key::Backspace)],
            ReviewNext => vec![sc(NONE, Key::J)],
            ReviewPrevious => vec![sc(NONE, Key::K)],
            ReviewAcceptRule => vec![sc(SHIFT, Key::A)],
            CurationMode => vec![sc(CTRL_SHIFT, Key::C)],
            CuratePick(n) => digit_key(n).map(|k| sc(NONE, k)).into_iter().collect(),
            CurateKeepAll => vec![sc(NONE, Key::A)],
            CurateNone => vec![sc(NONE, Key::N), sc(NONE, Key::Num0)],
            CurateNext => vec![sc(NONE, Key::J)],
            CuratePrevious => vec![sc(NONE, Key::K)],
        }
    }

    pub fn scope(self) -> Scope {
        use UiCommand::*;
        match self {
            NewFromFiles | Open | Save | SaveAs | AddDocuments | Export | Quit | Find
            | FindInProject | FindNext | FindPrevious | ZoomIn | ZoomOut | ZoomReset
            | ThemeLight | ThemeDark | ToggleDocuments | CompactDocuments | ToggleInspector
            | MarkDoneNext | MarkTodo | NextDocument | PreviousDocument | RunRulesDocument
            | RunRulesProject | ReviewPanel | RulesPanel | RuleEditor | AnnotationGuide | About
            | CurationMode => Scope::Global,
            ReviewAccept | ReviewReject | ReviewNext | ReviewPrevious | ReviewAcceptRule => {
                Scope::Review
            }
            CuratePick(_) | CurateKeepAll | CurateNone | CurateNext | CuratePrevious => {
                Scope::Curate
            }
            // F1 works everywhere, `?` only outside text fields (checked in
            // `matches`).
            Shortcuts => Scope::Global,
            _ => Scope::Text,
        }
    }

    /// The first shortcut as text, for menus ("Ctrl+S").
    pub fn shortcut_text(self) -> Option<String> {
        self.shortcuts().first().map(format_shortcut)
    }
}

/// The key of digit `n` (1–9; 0 too).
fn digit_key(n: u8) -> Option<Key> {
    Some(match n {
        0 => Key::Num0,
        1 => Key::Num1,
        2 => Key::Num2,
        3 => Key::Num3,
        4 => Key::Num4,
        5 => Key::Num5,
        6 => Key::Num6,
        7 => Key::Num7,
        8 => Key::Num8,
        9 => Key::Num9,
        _ => return None,
    })
}

/// "Ctrl+Shift+Z", "F1", "?".
pub fn format_shortcut(shortcut: &KeyboardShortcut) -> String {
    shortcut.format(&egui::ModifierNames::NAMES, cfg!(target_os = "macos"))
}

/// Keys that need Shift on common layouts, so Shift is not compared.
fn shift_implied(key: Key) -> bool {
    matches!(key, Key::Questionmark | Key::Plus)
}

/// Whether a key press with `modifiers` triggers `shortcut` (exactly: Alt
/// and Shift must match too, except for symbols typed with Shift).
pub fn matches(shortcut: &KeyboardShortcut, key: Key, modifiers: Modifiers) -> bool {
    if shortcut.logical_key != key {
        return false;
    }
    let mut m = modifiers;
    if shift_implied(key) {
        m.shift = shortcut.modifiers.shift;
    }
    m.matches_exact(shortcut.modifiers)
}

/// The key of a label hotkey character (`'s'` → `Key::S`).
pub fn hotkey_key(c: char) -> Option<Key> {
    Key::from_name(&c.to_uppercase().to_string())
}

/// Whether a key press is the hotkey `c` (no modifiers other than Shift).
pub fn label_hotkey(c: char, key: Key, modifiers: Modifiers) -> bool {
    hotkey_key(c) == Some(key) && !modifiers.command && !modifiers.ctrl && !modifiers.alt
}

/// Takes this frame's key presses out of `input` and returns the commands
/// and label hotkeys they trigger, in order. `text_focus` = a text field
/// has the keyboard: then only global commands are taken. `mode`: review
/// or curation mode, whose keys are taken first (outside text fields).
/// `panel_focus`: a widget other than the text view has the keyboard focus.
pub fn take_shortcuts(
    input: &mut egui::InputState,
    hotkeys: &[(char, String)],
    text_focus: bool,
    mode: Mode,
    panel_focus: bool,
) -> Vec<Triggered> {
    let mut out = Vec::new();
    input.events.retain(|event| {
        let egui::Event::Key {
            key,
            pressed: true,
            modifiers,
            ..
        } = event
        else {
            return true;
        };
        if let Some(scope) = mode.scope()
            && !text_focus
        {
            for &cmd in UiCommand::ALL {
                if cmd.scope() == scope
                    && cmd.shortcuts().iter().any(|s| matches(s, *key, *modifiers))
                {
                    out.push(Triggered::Command(cmd));
                    return false;
                }
            }
        }
        for &cmd in UiCommand::ALL {
            let mode_key = matches!(cmd.scope(), Scope::Review | Scope::Curate);
            if mode_key || (text_focus && cmd.scope() == Scope::Text) {
                continue;
            }
            if text_focus && cmd == UiCommand::Shortcuts && *key != Key::F1 {
                continue;
            }
            // With a panel's widget focused (e.g. a drop-down box of the
            // inspector), Tab moves between widgets rather than spans.
            if panel_focus && matches!(cmd, UiCommand::NextSpan | UiCommand::PreviousSpan) {
                continue;
            }
            if cmd.shortcuts().iter().any(|s| matches(s, *key, *modifiers)) {
                out.push(Triggered::Command(cmd));
                return false;
            }
        }
        // Label keys tag only when the text view has the keyboard (or no
        // widget has it): never while a field, button or list of a panel has it.
        if !text_focus && !panel_focus {
            for (c, label) in hotkeys {
                if label_hotkey(*c, *key, *modifiers) {
                    out.push(Triggered::Label(label.clone()));
                    return false;
                }
            }
        }
        true
    });
    out
}

/// What a key press asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Triggered {
    Command(UiCommand),
    /// Tag the selection with (or relabel the selected span as) this label.
    Label(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut seen: Vec<(KeyboardShortcut, UiCommand)> = Vec::new();
        for &cmd in UiCommand::ALL {
            for s in cmd.shortcuts() {
                // A review key may shadow one of the listed text keys: the
                // review keys are only listened to in review mode, first.
                // Review and curation keys may share: the modes exclude
                // each other.
                let shadow = |a: UiCommand, b: UiCommand| {
                    (a.scope() == Scope::Review && REVIEW_SHADOWS.contains(&b))
                        || (a.scope() == Scope::Curate && b.scope() == Scope::Review)
                };
                if let Some((_, other)) = seen
                    .iter()
                    .find(|(t, o)| *t == s && !shadow(cmd, *o) && !shadow(*o, cmd))
                {
                    panic!("{cmd:?} and {other:?} share {}", format_shortcut(&s));
                }
                seen.push((s, cmd));
            }
        }
    }

    #[test]
    fn all_lists_every_command_once() {
        let mut all = UiCommand::ALL.to_vec();
        all.dedup();
        assert_eq!(all.len(), UiCommand::ALL.len());
        assert!(UiCommand::ALL.iter().all(|c| !c.text().is_empty()));
    }

    #[test]
    fn default_label_hotkeys_do_not_collide_with_commands() {
        let schema = Schema::default();
        for label in &schema.labels {
            let key = hotkey_key(label.hotkey).expect("hotkey is a key");
            for &cmd in UiCommand::ALL {
                for s in cmd.shortcuts() {
                    assert!(
                        !matches(&s, key, Modifiers::NONE),
                        "{} hotkey collides with {cmd:?}",
                        label.name
                    );
                }
            }
        }
    }

    #[test]
    fn review_keys_only_in_review_mode() {
        let accept = UiCommand::ReviewAccept.shortcuts();
        assert!(
            accept
                .iter()
                .any(|s| matches(s, Key::Enter, Modifiers::NONE))
        );
        assert!(UiCommand::OpenInspector.shortcuts().iter().any(|s| matches(
            s,
            Key::Enter,
            Modifiers::NONE
        )));
        // Review and curation keys never shadow a global command.
        for &cmd in UiCommand::ALL {
            if !matches!(cmd.scope(), Scope::Review | Scope::Curate) {
                continue;
            }
            for s in cmd.shortcuts() {
                for &other in UiCommand::ALL {
                    if other.scope() == Scope::Global {
                        assert!(!other.shortcuts().contains(&s), "{cmd:?} vs {other:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn matching_is_exact_about_alt_and_shift() {
        let right = sc(NONE, Key::ArrowRight);
        assert!(matches(&right, Key::ArrowRight, Modifiers::NONE));
        assert!(!matches(&right, Key::ArrowRight, Modifiers::ALT));
        assert!(!matches(&right, Key::ArrowRight, Modifiers::SHIFT));
        let help = sc(NONE, Key::Questionmark);
        assert!(matches(&help, Key::Questionmark, Modifiers::SHIFT));
    }

    #[test]
    fn curation_keys_only_in_curation_mode_and_no_text_key_is_shadowed() {
        for &cmd in UiCommand::ALL {
            if cmd.scope() != Scope::Curate {
                continue;
            }
            assert!(!cmd.shortcuts().is_empty(), "{cmd:?} has a key");
            for s in cmd.shortcuts() {
                for &other in UiCommand::ALL {
                    if other.scope() == Scope::Text {
                        assert!(!other.shortcuts().contains(&s), "{cmd:?} vs {other:?}");
                    }
                }
            }
        }
        assert_eq!(UiCommand::CuratePick(2).shortcuts(), [sc(NONE, Key::Num2)]);
    }
}
