//! No two source files of the library depend on each other, directly or through others: an
//! import circle means neither file can be read, tested or moved without the other. A file
//! depends on another when it names an item there (a `use`, a path in code, a path inside a
//! macro such as `view!`). A folder's own module (`mod.rs`) is made of its children, and what it
//! takes from them (`mod child;`, a re-export, a call) is the tree's shape: only a file's use of
//! something outside itself and its own children is counted.
//!
//! The paths are parsed with `syn` (the parser every procedural macro uses), so a comment or a
//! string that looks like a path is never mistaken for one.

use proc_macro2::{TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// A module path inside the crate, `[]` being the crate root (`src/lib.rs`).
type ModPath = Vec<String>;

#[test]
fn no_source_file_imports_another_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = module_files(&src);
    let mut graph: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (module, file) in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut paths = Paths {
            files: &files,
            current: module.clone(),
            found: Vec::new(),
        };
        paths.visit_file(&parsed);
        let uses = graph.entry(module.clone()).or_default();
        for path in paths.found {
            let inside = |target: &ModPath| target.starts_with(module);
            if let Some(target) = file_of(&files, &path)
                && !inside(&target)
            {
                uses.insert(target);
            }
        }
    }
    let circles = circles(&graph);
    let shown: Vec<String> = circles
        .iter()
        .map(|circle| {
            let names: Vec<String> = circle
                .iter()
                .map(|m| files[m].strip_prefix(&src).unwrap().display().to_string())
                .collect();
            names.join(" → ")
        })
        .collect();
    assert!(
        shown.is_empty(),
        "files that import each other (move what both need to where it belongs):\n{}",
        shown.join("\n")
    );
}

/// The checker finds a circle when there is one, and none in a chain.
#[test]
fn the_circle_check_sees_a_circle() {
    let module = |name: &str| vec![name.to_string()];
    let mut graph = BTreeMap::new();
    graph.insert(module("a"), BTreeSet::from([module("b")]));
    graph.insert(module("b"), BTreeSet::from([module("c")]));
    graph.insert(module("c"), BTreeSet::new());
    assert!(circles(&graph).is_empty());
    graph.get_mut(&module("c")).unwrap().insert(module("a"));
    assert_eq!(circles(&graph).len(), 1);
}

/// Every module that has a file of its own, by its path.
fn module_files(src: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut files = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: ModPath = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            match module.last().map(String::as_str) {
                Some("main") if module.len() == 1 => continue, // the binary: another crate
                Some("lib") if module.len() == 1 => module.clear(),
                Some("mod") => {
                    module.pop();
                }
                _ => {}
            }
            if path.extension().is_some_and(|e| e == "rs") {
                files.insert(module, path);
            }
        }
    }
    files
}

/// The file that defines what `path` names: the longest prefix of it that is a module with a file.
fn file_of(files: &BTreeMap<ModPath, PathBuf>, path: &[String]) -> Option<ModPath> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| files.contains_key(prefix))
}

/// The crate paths a file names, made absolute (`crate::`, `super::`, `self::` and a child
/// module's name resolved against the module they are written in).
struct Paths<'f> {
    files: &'f BTreeMap<ModPath, PathBuf>,
    current: ModPath,
    found: Vec<ModPath>,
}

impl Paths<'_> {
    fn absolute(&self, segments: &[String]) -> Option<ModPath> {
        let first = segments.first()?;
        let mut base = self.current.clone();
        let rest = match first.as_str() {
            "crate" => {
                base.clear();
                &segments[1..]
            }
            "self" => &segments[1..],
            "super" => {
                let supers = segments.iter().take_while(|s| *s == "super").count();
                base.truncate(base.len().checked_sub(supers)?);
                &segments[supers..]
            }
            // A child module's name, as `use child::Item` writes it.
            child
                if self
                    .files
                    .contains_key(&[base.as_slice(), &[child.to_string()]].concat()) =>
            {
                segments
            }
            // Any other name is an item in scope or another crate.
            _ => return None,
        };
        base.extend(rest.iter().cloned());
        Some(base)
    }

    fn add(&mut self, segments: &[String]) {
        if let Some(path) = self.absolute(segments) {
            self.found.push(path);
        }
    }

    /// Paths inside a macro's tokens (`view!`, `tracing::info!`): runs of `name :: name`.
    fn add_tokens(&mut self, tokens: TokenStream) {
        let mut run: Vec<String> = Vec::new();
        let mut colons = 0;
        for token in tokens {
            match token {
                TokenTree::Ident(ident) if run.is_empty() || colons == 2 => {
                    run.push(ident.to_string());
                    colons = 0;
                }
                TokenTree::Punct(p) if p.as_char() == ':' && !run.is_empty() && colons < 2 => {
                    colons += 1;
                }
                other => {
                    self.add(&std::mem::take(&mut run));
                    colons = 0;
                    match other {
                        TokenTree::Group(group) => self.add_tokens(group.stream()),
                        TokenTree::Ident(ident) => run.push(ident.to_string()),
                        _ => {}
                    }
                }
            }
        }
        self.add(&run);
    }

    /// Each path a `use` tree names (`use a::{b, c::d}` names `a::b` and `a::c::d`).
    fn add_use(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.add_use(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(syn::UseName { ident })
            | syn::UseTree::Rename(syn::UseRename { ident, .. }) => {
                let mut path = prefix.clone();
                if ident != "self" {
                    path.push(ident.to_string());
                }
                self.add(&path);
            }
            syn::UseTree::Glob(_) => self.add(prefix),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.add_use(prefix, tree);
                }
            }
        }
    }
}

impl<'a> Visit<'a> for Paths<'_> {
    fn visit_item_mod(&mut self, item: &'a syn::ItemMod) {
        self.current.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.current.pop();
    }

    fn visit_item_use(&mut self, item: &'a syn::ItemUse) {
        self.add_use(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'a syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'a syn::Macro) {
        self.visit_path(&mac.path);
        self.add_tokens(mac.tokens.clone());
    }
}

/// The strongly connected groups of more than one module (Tarjan's algorithm), each as a list.
fn circles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'g ModPath, usize>,
        low: BTreeMap<&'g ModPath, usize>,
        stack: Vec<&'g ModPath>,
        on_stack: BTreeSet<&'g ModPath>,
        found: Vec<Vec<ModPath>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, node: &'g ModPath) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.graph.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                while let Some(member) = self.stack.pop() {
                    self.on_stack.remove(member);
                    group.push(member.clone());
                    if member == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.reverse();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node) {
            walk.visit(node);
        }
    }
    walk.found
}
