//! The concepts form layers: no concept's service reaches, through other services, back to
//! itself, and cascades that combine concepts live above them (`flows`), not inside the lower one.
//! Read from the source, as a reviewer would read the `use` lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The concept folders of `app/src`.
fn concepts() -> BTreeSet<String> {
    std::fs::read_dir(source_root())
        .expect("app/src")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

/// The Rust files of a concept's service: `service.rs` or the files of `service/`.
fn service_files(concept: &str) -> Vec<PathBuf> {
    let folder = source_root().join(concept);
    let mut files = Vec::new();
    let single = folder.join("service.rs");
    if single.is_file() {
        files.push(single);
    }
    if let Ok(entries) = std::fs::read_dir(folder.join("service")) {
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "rs")),
        );
    }
    files
}

/// The text without `//` comments, which may name modules without using them.
fn code_of(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The concepts whose service this code uses: `name::service` anywhere (a path or an import),
/// and `crate::name::{…, service, …}` groups.
fn services_used(code: &str, concepts: &BTreeSet<String>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("::service") {
        let after = code[at + "::service".len()..].chars().next();
        if after.is_some_and(is_word) {
            continue;
        }
        let before = &code[..at];
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !is_word(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        used.insert(before[start..].to_owned());
    }
    for concept in concepts {
        let group = format!("crate::{concept}::{{");
        for (at, _) in code.match_indices(&group) {
            let inside = &code[at + group.len()..];
            let inside = &inside[..inside.find('}').unwrap_or(inside.len())];
            if inside
                .split(|c: char| !is_word(c))
                .any(|word| word == "service")
            {
                used.insert(concept.clone());
            }
        }
    }
    used.retain(|name| concepts.contains(name));
    used
}

/// Which concepts' services each concept's service uses.
fn service_graph() -> BTreeMap<String, BTreeSet<String>> {
    let concepts = concepts();
    concepts
        .iter()
        .filter_map(|concept| {
            let files = service_files(concept);
            (!files.is_empty()).then(|| {
                let mut used = BTreeSet::new();
                for file in files {
                    used.extend(services_used(&code_of(&file), &concepts));
                }
                used.remove(concept);
                (concept.clone(), used)
            })
        })
        .collect()
}

/// A path that leads from `start` back to it, if there is one.
fn cycle_through(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![start.to_owned()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().cloned().unwrap_or_default();
        for next in graph.get(&last).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn no_concept_service_reaches_back_to_itself() {
    let graph = service_graph();
    assert!(
        graph.len() >= 10,
        "the concepts' services were not found: {graph:?}"
    );
    assert!(
        graph["sponsorships"].contains("memberships"),
        "the reading of imports misses a known one: {graph:?}"
    );
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|concept| cycle_through(&graph, concept))
        .map(|cycle| cycle.join(" -> "))
        .collect();
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}

#[test]
fn memberships_know_nothing_of_the_concepts_built_on_them() {
    let folder = source_root().join("memberships");
    for entry in std::fs::read_dir(&folder).expect("memberships") {
        let path = entry.expect("a file").path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let code = code_of(&path);
        for higher in ["access", "sponsorships", "invitations"] {
            assert!(
                !code.contains(&format!("crate::{higher}")),
                "{} uses {higher}",
                path.display()
            );
        }
    }
}

#[test]
fn the_reading_of_imports_finds_paths_and_groups() {
    let concepts: BTreeSet<String> = ["access", "memberships", "professions"]
        .map(str::to_owned)
        .into();
    let code = "use crate::memberships::{self, service::as_admin};\n\
                let x = professions::service::find(conn, 1);\n\
                use crate::access::types::AccessGrant;\n\
                use crate::memberships::{service, types};";
    assert_eq!(
        services_used(code, &concepts),
        ["memberships", "professions"].map(str::to_owned).into()
    );
}
