//! The documentation as the tests read it: README.md and every page of the book
//! (`docs/src/**/*.md`), with their fenced code blocks. The book may not exist yet: then only
//! the README is read.
#![allow(dead_code)] // each test file uses some of these

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::path::{Path, PathBuf};

/// The repository root (the crate's directory).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md, then every Markdown page of the book, sorted; paths relative to the root.
pub fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("README.md")];
    let book = root().join("docs/src");
    if book.is_dir() {
        let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(&book)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.expect("walk docs/src"))
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.path().strip_prefix(root()).expect("inside").to_path_buf())
            .collect();
        pages.sort();
        files.extend(pages);
    }
    files
}

/// The text of a documentation file (relative to the root).
pub fn read(file: &Path) -> String {
    std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// One fenced code block: where it starts, its language (the info string's first word) and text.
pub struct Block {
    pub file: PathBuf,
    /// 1-based line of the opening fence.
    pub line: usize,
    pub lang: String,
    pub text: String,
    /// Why the block is not executed, when the line right above its fence says
    /// `<!-- not run: REASON -->` (an HTML comment: neither GitHub nor mdBook shows it).
    pub not_run: Option<String>,
    /// The fence is indented (inside a list item): trycmd does not see such a block.
    pub indented: bool,
}

impl Block {
    /// `file:line`, for messages that send the reader to the block.
    pub fn at(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }
}

/// Every fenced code block of `file`, in order.
pub fn code_blocks(file: &Path) -> Vec<Block> {
    let text = read(file);
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Block {
                    file: file.to_path_buf(),
                    line: line_of(&text, range.start),
                    lang: info
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    text: String::new(),
                    not_run: not_run_reason(&text, range.start),
                    indented: text[..range.start]
                        .rsplit('\n')
                        .next()
                        .is_some_and(|before| !before.is_empty()),
                });
            }
            Event::Text(t) => {
                if let Some(b) = open.as_mut() {
                    b.text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// The 1-based line holding byte `offset` of `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// The marker of a block that is deliberately not executed.
pub const NOT_RUN: &str = "<!-- not run:";

/// The reason given by a `<!-- not run: REASON -->` line right above the fence at `offset`.
fn not_run_reason(text: &str, offset: usize) -> Option<String> {
    let above = text[..offset]
        .trim_end_matches([' ', '\t'])
        .strip_suffix('\n')?;
    let line = above.rsplit('\n').next()?.trim();
    let reason = line.strip_prefix(NOT_RUN)?.strip_suffix("-->")?.trim();
    Some(reason.to_string())
}
