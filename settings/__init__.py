"""The user's settings: the configuration file and the key table, as plain data.

No Rich, no Textual, no database: the commands (import, export, the data card) read the same
configuration as the screens, and `factmark config` starts without the UI or the store.

- `settings.config`  load_config → Config (label set, keymap, organisation, guidelines); ConfigError
- `settings.keys`    every key binding: id, default keys, action, description, scope
- `settings.colors`  which label colours a file may name (Rich's grammar, without Rich)
- `settings.paths`   where the configuration file is
- `default_config.toml` documents every setting with its default; `guidelines.md` is the
  labelling guidelines shipped as the help screen's default
"""
