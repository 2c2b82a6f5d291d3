//! The shape of `src/`: its units (each top-level file and each top-level folder, without
//! `main.rs`, `lib.rs` and `bin/`) and the imports between them, read from the `crate::`
//! paths (and `super::` paths of top-level files, which name the crate root). The units are
//! layered ([`LAYERS`]): a unit imports only units of lower layers, so no import cycle spans
//! more than one unit, a unit is changed and understood on its own, and the pipeline's
//! stages run in one direction.
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// Every unit of `src/`, bottom to top: a unit may import the units of the layers below its
/// own, never one of its own layer or above. A new top-level file or folder gets its place
/// here (a test fails until it has one).
const LAYERS: &[&[&str]] = &[
    // The foundation: text made inert, fatal errors, standard output, the repository
    // boundary, the worker pool; findings with their sources and the built-in checks.
    &["inert"],
    &["error"],
    &["console", "threads"],
    &["fsio"],
    &["diagnostics"],
    // Documents as parsed (board filters first), then what is read with them: the
    // configuration and the catalogues.
    &["jql"],
    &["document"],
    &["config"],
    &["catalog"],
    // The stages, in pipeline order (the Jira model is joined by resolve), then the
    // pipeline running them, then the reports of a run.
    &["discover"],
    &["load"],
    &["jira"],
    &["resolve"],
    &["evaluate"],
    &["pipeline"],
    &["report"],
    // Features built on a run, then the subcommands and the command line.
    &["fmt", "import", "license", "access"],
    &["review"],
    &["cli"],
    &["commands"],
    &["fuzzing"],
];

/// Imports still going up, each with what removes it. This list only shrinks: an import
/// up that is not here fails the tests below.
const KNOWN_UPWARD: &[(&str, &str, &str)] = &[];

#[test]
fn no_import_cycle_spans_more_than_one_unit() {
    let graph = Graph::read(&src()).without(KNOWN_UPWARD);
    let report = graph.report_cycles();
    assert!(report.is_empty(), "{report}");
}

#[test]
fn no_unit_imports_its_own_layer_or_one_above() {
    let graph = Graph::read(&src()).without(KNOWN_UPWARD);
    let report = graph.report_layers(LAYERS);
    assert!(report.is_empty(), "{report}");
}

#[test]
fn every_unit_has_one_layer() {
    let graph = Graph::read(&src());
    let listed: Vec<&str> = LAYERS.iter().flat_map(|l| l.iter().copied()).collect();
    let unique: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "a unit listed twice in LAYERS");
    let units: BTreeSet<&str> = graph.units.iter().map(String::as_str).collect();
    let unlisted: Vec<&&str> = units.difference(&unique).collect();
    let gone: Vec<&&str> = unique.difference(&units).collect();
    assert!(
        unlisted.is_empty() && gone.is_empty(),
        "units of src/ without a layer in LAYERS: {unlisted:?}; listed but not in src/: {gone:?}"
    );
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Which unit imports which, with one place each import is made (for the failure message).
struct Graph {
    units: BTreeSet<String>,
    /// From unit, to unit: the first import making the edge (`src/FILE: crate::PATH`).
    edges: BTreeMap<String, BTreeMap<String, String>>,
}

impl Graph {
    fn read(src: &Path) -> Graph {
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
            let entry = entry.expect("walk src/");
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("below src/");
            if let Some(unit) = unit_of(rel) {
                files.push((unit, path.to_path_buf()));
            }
        }
        let units: BTreeSet<String> = files.iter().map(|(u, _)| u.clone()).collect();
        let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (unit, path) in &files {
            let text = std::fs::read_to_string(path).expect("read a source file");
            let top_level = path.parent() == Some(src);
            for (target, import) in imports(&text, top_level) {
                if &target != unit && units.contains(&target) {
                    let rel = path.strip_prefix(src).unwrap_or(path);
                    edges
                        .entry(unit.clone())
                        .or_default()
                        .entry(target)
                        .or_insert_with(|| format!("src/{}: {import}", rel.display()));
                }
            }
        }
        Graph { units, edges }
    }

    /// The graph without the imports `known` lists (from, to, why).
    fn without(mut self, known: &[(&str, &str, &str)]) -> Graph {
        for (from, to, _) in known {
            if let Some(targets) = self.edges.get_mut(*from) {
                targets.remove(*to);
            }
        }
        self
    }

    fn targets(&self, unit: &str) -> impl Iterator<Item = &String> {
        self.edges.get(unit).into_iter().flat_map(|t| t.keys())
    }

    /// The strongly connected components of more than one unit (Tarjan), each sorted.
    fn cycles(&self) -> Vec<Vec<String>> {
        struct Walk<'g> {
            graph: &'g Graph,
            index: BTreeMap<&'g str, usize>,
            low: BTreeMap<&'g str, usize>,
            stack: Vec<&'g str>,
            on_stack: BTreeSet<&'g str>,
            found: Vec<Vec<String>>,
        }
        impl<'g> Walk<'g> {
            fn visit(&mut self, v: &'g str) {
                let i = self.index.len();
                self.index.insert(v, i);
                self.low.insert(v, i);
                self.stack.push(v);
                self.on_stack.insert(v);
                for w in self.graph.targets(v) {
                    let w = w.as_str();
                    if !self.index.contains_key(w) {
                        self.visit(w);
                        let lw = self.low[w];
                        let lv = self.low.get_mut(v).expect("visited");
                        *lv = (*lv).min(lw);
                    } else if self.on_stack.contains(w) {
                        let iw = self.index[w];
                        let lv = self.low.get_mut(v).expect("visited");
                        *lv = (*lv).min(iw);
                    }
                }
                if self.low[v] == self.index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = self.stack.pop() {
                        self.on_stack.remove(w);
                        component.push(w.to_string());
                        if w == v {
                            break;
                        }
                    }
                    if component.len() > 1 {
                        component.sort();
                        self.found.push(component);
                    }
                }
            }
        }
        let mut walk = Walk {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        };
        for unit in &self.units {
            if !walk.index.contains_key(unit.as_str()) {
                walk.visit(unit);
            }
        }
        walk.found.sort();
        walk.found
    }

    /// A shortest cycle inside `component`, starting at its first unit by name among the
    /// shortest ones (breadth-first from each unit back to itself).
    fn shortest_cycle(&self, component: &[String]) -> Vec<String> {
        let inside: BTreeSet<&str> = component.iter().map(String::as_str).collect();
        let mut best: Option<Vec<String>> = None;
        for start in component {
            let mut previous: BTreeMap<&str, &str> = BTreeMap::new();
            let mut queue = VecDeque::from([start.as_str()]);
            let mut closing = None;
            'search: while let Some(v) = queue.pop_front() {
                for w in self.targets(v).map(String::as_str) {
                    if !inside.contains(w) {
                        continue;
                    }
                    if w == start {
                        closing = Some(v);
                        break 'search;
                    }
                    if !previous.contains_key(w) {
                        previous.insert(w, v);
                        queue.push_back(w);
                    }
                }
            }
            let Some(mut at) = closing else { continue };
            let mut path = vec![start.clone()];
            while at != start {
                path.push(at.to_string());
                at = previous[at];
            }
            path[1..].reverse();
            path.push(start.clone());
            if best.as_ref().is_none_or(|b| path.len() < b.len()) {
                best = Some(path);
            }
        }
        best.unwrap_or_default()
    }

    /// Empty when no cycle spans more than one unit; otherwise, for each cycle, its units and
    /// a shortest cycle with the file making each import (one of its edges must go).
    fn report_cycles(&self) -> String {
        let mut out = String::new();
        for component in self.cycles() {
            out.push_str(&format!(
                "import cycle across {} units of src/: {}\n",
                component.len(),
                component.join(", ")
            ));
            let cycle = self.shortest_cycle(&component);
            out.push_str(&format!("  shortest cycle: {}\n", cycle.join(" -> ")));
            for pair in cycle.windows(2) {
                let file = &self.edges[&pair[0]][&pair[1]];
                out.push_str(&format!("    {} -> {}: {file}\n", pair[0], pair[1]));
            }
        }
        out
    }

    /// Empty when every import goes to a lower layer; otherwise one line per import going
    /// sideways or up, naming the file and the path to change.
    fn report_layers(&self, layers: &[&[&str]]) -> String {
        let layer_of: BTreeMap<&str, usize> = layers
            .iter()
            .enumerate()
            .flat_map(|(i, units)| units.iter().map(move |u| (*u, i)))
            .collect();
        let mut out = String::new();
        for (from, targets) in &self.edges {
            let Some(&low) = layer_of.get(from.as_str()) else {
                continue;
            };
            for (to, import) in targets {
                let Some(&high) = layer_of.get(to.as_str()) else {
                    continue;
                };
                if high >= low {
                    let how = if high == low {
                        "its own layer"
                    } else {
                        "a higher layer"
                    };
                    out.push_str(&format!("{from} imports {to} ({how}): {import}\n"));
                }
            }
        }
        out
    }
}

/// The unit of a file below `src/` (a path relative to it), if it is one.
fn unit_of(rel: &Path) -> Option<String> {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    if parts.next().is_some() {
        return (first != "bin").then(|| first.into_owned());
    }
    let stem = first.strip_suffix(".rs")?;
    (!matches!(stem, "main" | "lib")).then(|| stem.to_string())
}

/// Every `crate::` path in Rust source (comments, strings and character literals skipped),
/// `use crate::{a, b::c}` groups included, by its first segment: the unit it names, with the
/// first path written for it. In a top-level file `super::` is the crate root, so its paths
/// count too.
fn imports(text: &str, top_level: bool) -> BTreeMap<String, String> {
    let code = code_only(text);
    let mut found = BTreeMap::new();
    let roots: &[&str] = if top_level {
        &["crate::", "super::"]
    } else {
        &["crate::"]
    };
    for root in roots {
        let mut rest = code.as_str();
        while let Some(at) = rest.find(root) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + root.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let after = rest.trim_start();
            let paths = match after.strip_prefix('{') {
                Some(group) => group_items(group),
                None => vec![path_at(after)],
            };
            for path in paths {
                if let Some(unit) = ident(&path) {
                    found.entry(unit).or_insert_with(|| format!("{root}{path}"));
                }
            }
        }
    }
    found
}

/// Each item of a `{...}` group, white space removed (nested groups kept whole).
fn group_items(group: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut depth = 0;
    for c in group.chars() {
        match c {
            '}' if depth == 0 => break,
            ',' if depth == 0 => items.push(String::new()),
            c if c.is_whitespace() => continue,
            c => {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                items.last_mut().expect("one item at least").push(c);
            }
        }
    }
    items.retain(|i| !i.is_empty());
    items
}

/// The path at the start of `text`: identifiers joined by `::`.
fn path_at(text: &str) -> String {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end].trim_end_matches(':').to_string()
}

fn ident(text: &str) -> Option<String> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let word = &text[..end];
    (!word.is_empty() && !matches!(word, "self" | "super" | "crate")).then(|| word.to_string())
}

/// The text with comments, string literals and character literals blanked out.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && matches!(next, Some('"' | '#')) && !prev_is_ident(&chars, i) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            i += 2 + hashes;
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            out.push_str("\"\"");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

// ------------------------------------------------ the checker itself, on synthetic trees

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

#[test]
fn a_layered_tree_has_no_cycle() {
    let dir = tree(&[
        ("lib.rs", "pub mod a; pub mod b; pub mod c;"),
        ("main.rs", "use crate::a; use crate::c;"),
        ("bin/tool/main.rs", "use crate::c;"),
        ("a.rs", "use crate::b::{x, y::z};\nfn f() { crate::c::g() }"),
        ("b/mod.rs", "use crate::c;"),
        (
            "b/inner.rs",
            "use super::x; // crate::a::nope\nconst S: &str = \"crate::a\";",
        ),
        (
            "c.rs",
            "/* crate::a */ fn g() { let _ = r#\"crate::b\"#; let _ = '\"'; }",
        ),
    ]);
    let graph = Graph::read(dir.path());
    let units: Vec<&str> = graph.units.iter().map(String::as_str).collect();
    assert_eq!(
        units,
        ["a", "b", "c"],
        "main.rs, lib.rs and bin/ are not units"
    );
    let edges: Vec<(&str, &str)> = graph
        .edges
        .iter()
        .flat_map(|(from, to)| to.keys().map(move |t| (from.as_str(), t.as_str())))
        .collect();
    assert_eq!(edges, [("a", "b"), ("a", "c"), ("b", "c")]);
    assert_eq!(graph.report_cycles(), "");
}

#[test]
fn a_cycle_across_units_is_reported_with_its_members_and_a_shortest_path() {
    let dir = tree(&[
        ("a.rs", "use crate::{b::Thing, d};"),
        ("b/mod.rs", "pub mod deep;"),
        ("b/deep.rs", "fn f() { crate::c::g(); }"),
        ("c.rs", "use crate::a::X;"),
        ("d.rs", "use crate::e;"),
        ("e.rs", "use crate::{\n    a,\n};"),
        ("f.rs", "use crate::a; use super::f2;"),
        ("f2.rs", "use super::f;"),
        ("solo/mod.rs", "use crate::solo::x; use self::y;"),
    ]);
    let graph = Graph::read(dir.path());
    assert_eq!(
        graph.cycles(),
        [vec!["a", "b", "c", "d", "e"], vec!["f", "f2"],]
    );
    assert_eq!(
        graph.report_cycles(),
        "import cycle across 5 units of src/: a, b, c, d, e\n\
         \x20 shortest cycle: a -> b -> c -> a\n\
         \x20   a -> b: src/a.rs: crate::b::Thing\n\
         \x20   b -> c: src/b/deep.rs: crate::c::g\n\
         \x20   c -> a: src/c.rs: crate::a::X\n\
         import cycle across 2 units of src/: f, f2\n\
         \x20 shortest cycle: f -> f2 -> f\n\
         \x20   f -> f2: src/f.rs: super::f2\n\
         \x20   f2 -> f: src/f2.rs: super::f\n"
    );
}

#[test]
fn an_import_of_the_same_layer_or_above_is_reported_with_its_path() {
    let dir = tree(&[
        ("base.rs", "fn f() { crate::top::g(); }"),
        ("mid/mod.rs", "use crate::{base::X, peer::{self, Y}};"),
        ("peer.rs", "use crate::base;"),
        ("top/mod.rs", "use crate::mid::Z;\nuse crate::base;"),
    ]);
    let graph = Graph::read(dir.path());
    let layers: &[&[&str]] = &[&["base"], &["mid", "peer"], &["top"]];
    assert_eq!(
        graph.report_layers(layers),
        "base imports top (a higher layer): src/base.rs: crate::top::g\n\
         mid imports peer (its own layer): src/mid/mod.rs: crate::peer::{self,Y}\n"
    );
    assert_eq!(
        graph.report_layers(&[&["base"], &["peer"], &["mid"], &["top"]]),
        { "base imports top (a higher layer): src/base.rs: crate::top::g\n" }
    );
}
