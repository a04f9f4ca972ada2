//! Where each key and table sits in the file, so that errors found after
//! deserialising (in validation) can still point at a line and column.
//!
//! Both `toml` (serde) and `toml_edit` (this index) report byte spans of the same
//! parser, so a span from a serde error can be matched against this index.

use std::ops::Range;

/// One key (or table) of the document.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Dotted segments; elements of arrays of tables are their 0-based index, e.g. `["location", "1", "policy"]`.
    pub path: Vec<String>,
    pub key_span: Option<Range<usize>>,
    /// For a `[table]` or `[[table]]` element: the span of its header.
    pub value_span: Option<Range<usize>>,
    pub is_table: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Index {
    pub entries: Vec<Entry>,
}

impl Index {
    pub fn build(doc: &toml_edit::Table) -> Index {
        let mut index = Index::default();
        walk_table(doc, &[], &mut index.entries);
        index
    }

    pub fn get(&self, path: &[&str]) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.path.len() == path.len() && e.path.iter().zip(path).all(|(a, b)| a == b))
    }

    /// Start of the value at `path` (for a table: its header).
    pub fn value_start(&self, path: &[&str]) -> Option<usize> {
        let e = self.get(path)?;
        e.value_span
            .as_ref()
            .or(e.key_span.as_ref())
            .map(|s| s.start)
    }

    pub fn by_key_span(&self, span: &Range<usize>) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.key_span.as_ref() == Some(span))
    }

    /// The innermost key whose value contains `span`; plain keys before tables
    /// (a table's span is only its header).
    pub fn by_value_span(&self, span: &Range<usize>) -> Option<&Entry> {
        self.entries
            .iter()
            .filter(|e| {
                e.value_span
                    .as_ref()
                    .is_some_and(|v| v.start <= span.start && span.end <= v.end)
            })
            .min_by_key(|e| {
                (
                    e.is_table,
                    e.value_span.as_ref().map_or(usize::MAX, |v| v.len()),
                )
            })
    }
}

fn walk_table(t: &toml_edit::Table, prefix: &[String], out: &mut Vec<Entry>) {
    for (name, item) in t.iter() {
        let key_span = t.key(name).and_then(toml_edit::Key::span);
        walk_item(name, key_span, item, prefix, out);
    }
}

fn walk_item(
    name: &str,
    key_span: Option<Range<usize>>,
    item: &toml_edit::Item,
    prefix: &[String],
    out: &mut Vec<Entry>,
) {
    let mut path = prefix.to_vec();
    path.push(name.to_owned());
    match item {
        toml_edit::Item::None => {}
        toml_edit::Item::Value(v) => {
            out.push(Entry {
                path: path.clone(),
                key_span,
                value_span: v.span(),
                is_table: v.is_inline_table(),
            });
            walk_value(v, &path, out);
        }
        toml_edit::Item::Table(t) => {
            out.push(Entry {
                path: path.clone(),
                key_span,
                value_span: t.span(),
                is_table: true,
            });
            walk_table(t, &path, out);
        }
        toml_edit::Item::ArrayOfTables(a) => {
            out.push(Entry {
                path: path.clone(),
                key_span,
                value_span: a.span(),
                is_table: true,
            });
            for (i, t) in a.iter().enumerate() {
                let mut p = path.clone();
                p.push(i.to_string());
                out.push(Entry {
                    path: p.clone(),
                    key_span: None,
                    value_span: t.span(),
                    is_table: true,
                });
                walk_table(t, &p, out);
            }
        }
    }
}

/// Inline tables (and arrays of them) may hold keys too: `location = [{ path = "/" }]`.
fn walk_value(v: &toml_edit::Value, path: &[String], out: &mut Vec<Entry>) {
    match v {
        toml_edit::Value::InlineTable(t) => {
            for (name, item) in t.iter() {
                let key_span = t.key(name).and_then(toml_edit::Key::span);
                let item = toml_edit::Item::Value(item.clone());
                walk_item(name, key_span, &item, path, out);
            }
        }
        toml_edit::Value::Array(a) => {
            for (i, el) in a.iter().enumerate() {
                if el.is_inline_table() {
                    let mut p = path.to_vec();
                    p.push(i.to_string());
                    out.push(Entry {
                        path: p.clone(),
                        key_span: None,
                        value_span: el.span(),
                        is_table: true,
                    });
                    walk_value(el, &p, out);
                }
            }
        }
        _ => {}
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text
        .get(line_start..offset)
        .map_or(1, |s| s.chars().count() + 1);
    (line, col)
}

/// How a table path is named in messages: `[mfa.totp]`, `[[location]] #2`.
pub(crate) fn table_name(path: &[String]) -> String {
    if path.is_empty() {
        return "the file".to_owned();
    }
    if let Some(pos) = path.iter().position(|s| s.parse::<usize>().is_ok()) {
        if pos == path.len() - 1 {
            let n = path[pos].parse::<usize>().map_or(0, |n| n + 1);
            return format!("[[{}]] #{n}", path[..pos].join("."));
        }
    }
    format!("[{}]", path.join("."))
}
