//! Where diagnostics point: file ids, their display paths and (lazily re-read) text.
//!
//! Sources are not kept in memory after loading: a file is read again only when a
//! diagnostic has to show it, so checking tens of thousands of documents stays lean.
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::fsio::read::{self, ReadError, Refusal};

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in a file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: FileId,
    pub span: Range<usize>,
}

impl Location {
    pub fn new(file: FileId, span: Range<usize>) -> Self {
        Self { file, span }
    }
}

#[derive(Clone)]
enum Origin {
    Disk(Box<Path>),
    Text(Arc<str>),
    /// Bytes read elsewhere (a git revision), loaded as a file's bytes would be.
    Bytes(Arc<[u8]>),
    /// A file that must not be read (see [`Refusal`]): it has no text.
    Refused(Refusal),
}

/// One per file of a run, tens of thousands of them: what few files need is boxed apart.
struct SourceFile {
    display: Box<str>,
    origin: Origin,
    text: OnceLock<Arc<str>>,
    /// Boxed: most files never need one (a finding's file keeps it, or made on first use).
    lines: OnceLock<Box<LineIndex>>,
    /// The (line, column) of the offsets loading knew findings point at, when it kept
    /// those rather than the whole index ([`SourceMap::keep_positions`]).
    positions: OnceLock<Positions>,
    /// What only `review` and SARIF reports need.
    rare: OnceLock<Box<Rare>>,
}

/// What few runs keep of a file.
#[derive(Default)]
struct Rare {
    /// The git blob id of the bytes loading read, when known (a revision's file, or any
    /// file of a map that [`SourceMap::hashing_blobs`]).
    blob: OnceLock<gix::ObjectId>,
    /// The line digests of the lines findings point at, by line, when loading computed
    /// them ([`SourceMap::hashing_lines`]).
    line_digests: OnceLock<LineDigests>,
}

impl SourceFile {
    fn rare(&self) -> &Rare {
        self.rare.get_or_init(Box::default)
    }

    fn blob(&self) -> Option<&gix::ObjectId> {
        self.rare.get()?.blob.get()
    }
}

/// Kept positions of one file: (offset, line, column), sorted by offset.
type Positions = Box<[(u32, u32, u32)]>;

/// Kept line digests of one file: (line, digest), sorted by line.
type LineDigests = Box<[(u32, [u8; 8])]>;

/// All files rolelint has seen, in discovery order.
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// The last file re-read from disk. Reports go file by file, so one slot serves every
    /// finding of a file without keeping thousands of texts alive.
    last: std::sync::Mutex<Option<(FileId, Arc<str>)>>,
    /// Keep the text of every file as loading read it (`--fix` applies its edits to exactly
    /// the text its findings were computed from, not to what the file holds later).
    keep_texts: bool,
    /// Size limit for reading a document (`None`: [`read::DOCUMENT_LIMIT`]).
    limit: Option<u64>,
    /// Files read again after loading (to be shown): a report reads each at most once.
    rereads: std::sync::atomic::AtomicUsize,
    /// Files read by loading ([`SourceMap::bytes`]): a run reads each once.
    reads: std::sync::atomic::AtomicUsize,
    /// Loading computes the git blob id of every file it reads (`review`'s head, so the
    /// base revision need not read what the head already judged).
    hash_blobs: bool,
    /// Loading keeps the line digest of each line a role's findings point at (a SARIF
    /// report then need not read those files again).
    hash_lines: bool,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// A map that keeps the text of every file loading reads.
    pub fn keeping_texts() -> Self {
        Self {
            keep_texts: true,
            ..Self::default()
        }
    }

    pub fn keeps_texts(&self) -> bool {
        self.keep_texts
    }

    /// Have loading keep the line digest of every line a role file's findings point at
    /// ([`SourceMap::line_digest`]).
    pub fn hashing_lines(mut self) -> Self {
        self.hash_lines = true;
        self
    }

    pub fn hashes_lines(&self) -> bool {
        self.hash_lines
    }

    /// Keep the line digests of the lines of `text` (file `id`) at byte `offsets`. Needs the
    /// file's line index, made from `text` when it has none.
    pub fn keep_line_digests(&self, id: FileId, text: &str, offsets: &[usize]) {
        let Some(f) = self.files.get(id.0 as usize) else {
            return;
        };
        // An index of its own, dropped after: the map keeps positions, not whole indexes.
        let made;
        let index = match f.lines.get() {
            Some(index) => index,
            None => {
                made = LineIndex::new(text);
                &made
            }
        };
        let mut lines: Vec<u32> = (offsets.iter())
            .filter_map(|offset| u32::try_from(index.line_col(*offset).0).ok())
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let digests: LineDigests = (lines.into_iter())
            .map(|line| {
                let text = line_of(index, text, line as usize);
                (line, crate::diagnostics::fingerprint::line_digest(text))
            })
            .collect();
        let _ = f.rare().line_digests.set(digests);
    }

    /// The digest of `line` of file `id`, when loading kept it.
    pub fn line_digest(&self, id: FileId, line: usize) -> Option<[u8; 8]> {
        let file = self.files.get(id.0 as usize)?;
        let digests = file.rare.get()?.line_digests.get()?;
        let line = u32::try_from(line).ok()?;
        let at = digests.binary_search_by_key(&line, |(l, _)| *l).ok()?;
        Some(digests[at].1)
    }

    /// Have loading compute the git blob id of each file it reads ([`SourceMap::blob`]).
    pub fn hashing_blobs(mut self) -> Self {
        self.hash_blobs = true;
        self
    }

    /// The git blob id of the bytes `bytes` gave for `id`: known for a revision's files,
    /// computed here when the map is [`SourceMap::hashing_blobs`]. Collision-checked SHA-1:
    /// bytes crafted to collide get no id, and so are never taken for another file's.
    pub fn note_blob(&self, id: FileId, bytes: &[u8]) {
        let Some(f) = self.files.get(id.0 as usize) else {
            return;
        };
        if self.hash_blobs && f.blob().is_none() {
            let kind = gix::objs::Kind::Blob;
            if let Ok(oid) = gix::objs::compute_hash(gix::hash::Kind::Sha1, kind, bytes) {
                let _ = f.rare().blob.set(oid);
            }
        }
    }

    /// The git blob id of a file's bytes, when known (see [`SourceMap::note_blob`]).
    pub fn blob(&self, id: FileId) -> Option<gix::ObjectId> {
        self.files.get(id.0 as usize)?.blob().copied()
    }

    /// A file on disk, shown to the user as `display` (relative, forward slashes).
    pub fn add_disk(&mut self, path: PathBuf, display: String) -> FileId {
        self.push(display, Origin::Disk(path.into_boxed_path()))
    }

    /// A file found where a document would be that must not be read: shown by its path,
    /// with no text.
    pub fn add_refused(&mut self, display: String, why: Refusal) -> FileId {
        let id = self.push(display, Origin::Refused(why));
        let _ = self.files[id.0 as usize].text.set(Arc::from(""));
        id
    }

    /// The size limit for documents read from disk (`[limits] document-bytes`).
    pub fn set_document_limit(&mut self, limit: u64) {
        self.limit = Some(limit);
    }

    fn read(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        read::walked(path, self.limit.unwrap_or(read::DOCUMENT_LIMIT))
    }

    /// A file whose text is known up front (built-in policies, examples, tests).
    pub fn add_text(&mut self, display: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        let text = text.into();
        let id = self.push(display.into(), Origin::Text(text.clone()));
        let _ = self.files[id.0 as usize].text.set(text);
        id
    }

    /// A file whose bytes are known up front (read from a git revision): loaded exactly as
    /// the same bytes on disk would be (not UTF-8 is a finding, not a lossy text).
    pub fn add_bytes(&mut self, display: impl Into<String>, bytes: Vec<u8>) -> FileId {
        self.push(display.into(), Origin::Bytes(Arc::from(bytes)))
    }

    /// [`SourceMap::add_bytes`] of a git blob, with its id.
    pub fn add_blob(&mut self, display: String, bytes: Vec<u8>, blob: gix::ObjectId) -> FileId {
        let id = self.add_bytes(display, bytes);
        let _ = self.files[id.0 as usize].rare().blob.set(blob);
        id
    }

    /// A file holding the same bytes as `id` of `other` (the blob `blob`): read from the
    /// same place, should it be read at all.
    pub fn add_same_as(
        &mut self,
        display: String,
        other: &SourceMap,
        id: FileId,
        blob: gix::ObjectId,
    ) -> FileId {
        let origin = match other.files.get(id.0 as usize) {
            Some(f) => f.origin.clone(),
            None => Origin::Refused(Refusal::Dangling),
        };
        let new = self.push(display, origin);
        let _ = self.files[new.0 as usize].rare().blob.set(blob);
        new
    }

    fn push(&mut self, display: String, origin: Origin) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            display: display.into_boxed_str(),
            origin,
            text: OnceLock::new(),
            lines: OnceLock::new(),
            positions: OnceLock::new(),
            rare: OnceLock::new(),
        });
        id
    }

    /// A map with the same ids holding the texts of `files` only (the others are their
    /// names): what a message about those files needs once the run is over.
    pub fn excerpt(&self, files: &[FileId]) -> SourceMap {
        let mut out = SourceMap::new();
        let Some(last) = files.iter().map(|f| f.0).max() else {
            return out;
        };
        for id in 0..=last.min(self.files.len().saturating_sub(1) as u32) {
            let id = FileId(id);
            let text = match files.contains(&id) {
                true => self.text(id),
                false => Arc::from(""),
            };
            out.add_text(self.display(id), text);
        }
        out
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn display(&self, id: FileId) -> &str {
        self.files
            .get(id.0 as usize)
            .map(|f| &*f.display)
            .unwrap_or("<unknown>")
    }

    pub fn path(&self, id: FileId) -> Option<&Path> {
        match &self.files.get(id.0 as usize)?.origin {
            Origin::Disk(p) => Some(p),
            Origin::Text(_) | Origin::Bytes(_) | Origin::Refused(_) => None,
        }
    }

    pub fn is_disk(&self, id: FileId) -> bool {
        self.path(id).is_some()
    }

    /// Keep a file's text that was read during loading (it has a diagnostic).
    pub fn keep(&self, id: FileId, text: Arc<str>) {
        if let Some(f) = self.files.get(id.0 as usize) {
            let _ = f.text.set(text);
        }
    }

    /// The file's text, read again from disk on first use. Unreadable or
    /// non-UTF-8 files give their lossy text (or nothing) rather than failing the report.
    pub fn text(&self, id: FileId) -> Arc<str> {
        let Some(f) = self.files.get(id.0 as usize) else {
            return Arc::from("");
        };
        if let Some(t) = f.text.get() {
            return t.clone();
        }
        let text = match &f.origin {
            Origin::Text(t) => t.clone(),
            Origin::Bytes(b) => Arc::from(String::from_utf8_lossy(b).as_ref()),
            Origin::Refused(_) => Arc::from(""),
            Origin::Disk(p) => {
                let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((cached, t)) = last.as_ref() {
                    if *cached == id {
                        return t.clone();
                    }
                }
                let t = self.reread(p);
                *last = Some((id, t.clone()));
                t
            }
        };
        text
    }

    /// [`Self::text`] for a reader that keeps what it reads itself (a report reading files
    /// in parallel, each once): no shared slot to contend for or to evict.
    pub fn text_once(&self, id: FileId) -> Arc<str> {
        match self.files.get(id.0 as usize) {
            Some(f) => match (f.text.get(), &f.origin) {
                (Some(t), _) => t.clone(),
                (None, Origin::Disk(p)) => self.reread(p),
                (None, _) => self.text(id),
            },
            None => Arc::from(""),
        }
    }

    /// How many times files were read again after loading.
    pub fn rereads(&self) -> usize {
        self.rereads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many times loading read a file's bytes ([`SourceMap::bytes`]).
    pub fn reads(&self) -> usize {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A file's text read again through the same boundary and limit as when loading.
    fn reread(&self, path: &Path) -> Arc<str> {
        self.rereads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match self.read(path) {
            // Valid UTF-8 (the usual case) is taken as is; only bad bytes cost a copy.
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Arc::from(text),
                Err(e) => Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref()),
            },
            Err(_) => Arc::from(""),
        }
    }

    /// The file's bytes as loading reads them: from disk (bounded, regular files only),
    /// or the text it was given.
    pub fn bytes(&self, id: FileId) -> Result<Vec<u8>, ReadError> {
        self.reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match self.files.get(id.0 as usize).map(|f| &f.origin) {
            Some(Origin::Disk(p)) => self.read(p),
            Some(Origin::Text(t)) => Ok(t.as_bytes().to_vec()),
            Some(Origin::Bytes(b)) => Ok(b.to_vec()),
            Some(Origin::Refused(r)) => Err(ReadError::Refused(*r)),
            None => Err(ReadError::Missing),
        }
    }

    /// Index a file's lines while its text is in hand (loading), so reporting its findings
    /// does not have to read the file again.
    pub fn keep_lines(&self, id: FileId, text: &str) {
        if let Some(f) = self.files.get(id.0 as usize) {
            let _ = f.lines.set(Box::new(LineIndex::new(text)));
        }
    }

    /// Keep where `offsets` of `text` (file `id`) are, while loading holds the text: the
    /// offsets findings point at. A role file's findings need a few positions, where its
    /// whole line index was a few hundred bytes, kept for thousands of files until the
    /// report. An offset asked for later that is not among them costs a second read.
    pub fn keep_positions(&self, id: FileId, text: &str, offsets: &[usize]) {
        let Some(f) = self
            .files
            .get(id.0 as usize)
            .filter(|f| f.lines.get().is_none())
        else {
            return;
        };
        let fits = |n: usize| u32::try_from(n).is_ok();
        if !fits(text.len()) || !offsets.iter().all(|&o| fits(o)) {
            let _ = f.lines.set(Box::new(LineIndex::new(text)));
            return;
        }
        let _ = f.positions.set(positions(text, offsets).into_boxed_slice());
    }

    /// The text of 1-based `line` as `str::lines` gives it (no `\n`, no `\r\n`), found
    /// through the line index: a file with thousands of findings is not rescanned for each.
    pub fn line_text(&self, id: FileId, line: usize) -> String {
        self.line_in(id, &self.text(id), line).to_string()
    }

    /// [`Self::line_text`] in `text`, the file's text its caller already holds.
    pub fn line_in<'t>(&self, id: FileId, text: &'t str, line: usize) -> &'t str {
        let Some(f) = self.files.get(id.0 as usize) else {
            return text.lines().nth(line.saturating_sub(1)).unwrap_or("");
        };
        let index = f.lines.get_or_init(|| Box::new(LineIndex::new(text)));
        line_of(index, text, line)
    }

    /// 1-based line and column (in characters) of a byte offset, clamped to the text.
    /// Uses an index built once per file: a file with 100,000 findings must not be
    /// scanned from the start for each of them.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let Some(f) = self.files.get(id.0 as usize) else {
            return (1, 1);
        };
        if let (None, Some(kept)) = (f.lines.get(), f.positions.get()) {
            if let Ok(at) = kept.binary_search_by_key(&offset, |k| k.0 as usize) {
                return (kept[at].1 as usize, kept[at].2 as usize);
            }
        }
        f.lines
            .get_or_init(|| Box::new(LineIndex::new(&self.text(id))))
            .line_col(offset)
    }
}

/// 1-based `line` of `text` as `str::lines` gives it, found through its `index`.
fn line_of<'t>(index: &LineIndex, text: &'t str, line: usize) -> &'t str {
    let Some((start, next)) = index.line(line) else {
        return "";
    };
    let end = next.unwrap_or(text.len());
    let raw = text.get(start..end).unwrap_or("");
    match raw.strip_suffix('\n') {
        Some(r) => r.strip_suffix('\r').unwrap_or(r),
        None => raw,
    }
}

/// Where lines start and where multi-byte characters continue, for O(log n) positions
/// without the text itself. Offsets are `u32`: thousands of indexes are kept until the
/// report, and a document is far smaller than 4 GiB (the read limit); a larger text
/// (given in memory) is indexed with `usize` offsets.
enum LineIndex {
    Small(Offsets<u32>),
    Large(Offsets<usize>),
}

struct Offsets<T> {
    line_starts: Vec<T>,
    /// Offsets of UTF-8 continuation bytes (empty for ASCII text).
    continuations: Vec<T>,
    len: usize,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        match u32::try_from(text.len()) {
            Ok(_) => Self::Small(Offsets::new(text, |i| i as u32)),
            Err(_) => Self::Large(Offsets::new(text, |i| i)),
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        match self {
            Self::Small(o) => o.line_col(offset),
            Self::Large(o) => o.line_col(offset),
        }
    }

    /// Where 1-based `line` starts and where the next one starts (`None` for the last).
    fn line(&self, line: usize) -> Option<(usize, Option<usize>)> {
        match self {
            Self::Small(o) => o.line(line),
            Self::Large(o) => o.line(line),
        }
    }
}

impl<T: Offset> Offsets<T> {
    /// `narrow` turns a byte offset of `text` into `T` (it fits: the caller checked).
    fn new(text: &str, narrow: impl Fn(usize) -> T) -> Self {
        let bytes = text.as_bytes();
        // Sized first: thousands of these are kept until the report.
        let mut line_starts = Vec::with_capacity(line_ends(bytes).count() + 1);
        line_starts.push(narrow(0));
        line_starts.extend(line_ends(bytes).map(&narrow));
        let continuations = if text.is_ascii() {
            Vec::new()
        } else {
            (0..bytes.len())
                .filter(|&i| bytes[i] & 0xC0 == 0x80)
                .map(&narrow)
                .collect()
        };
        Self {
            line_starts,
            continuations,
            len: bytes.len(),
        }
    }

    fn at(v: &[T], i: usize) -> usize {
        v[i].get()
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let c = &self.continuations;
        let before = |x: usize| c.partition_point(|&o| o.get() < x);
        let mut offset = offset.min(self.len);
        // Step back out of a multi-byte character to its first byte.
        let mut k = before(offset);
        while k < c.len() && Self::at(c, k) == offset && offset > 0 {
            offset -= 1;
            k = before(offset);
        }
        let line = self.line_starts.partition_point(|&s| s.get() <= offset);
        let line_start = Self::at(&self.line_starts, line - 1);
        let extra = k - before(line_start);
        (line, offset - line_start - extra + 1)
    }

    fn line(&self, line: usize) -> Option<(usize, Option<usize>)> {
        let i = line.saturating_sub(1);
        let start = self.line_starts.get(i)?.get();
        let next = self.line_starts.get(i + 1).map(|e| e.get());
        Some((start, next))
    }
}

/// A byte offset as an index stores it.
trait Offset: Copy {
    fn get(self) -> usize;
}

impl Offset for u32 {
    fn get(self) -> usize {
        self as usize
    }
}

impl Offset for usize {
    fn get(self) -> usize {
        self
    }
}

/// `(offset, line, column)` of each of `offsets` in `text` (both under 4 GiB), sorted,
/// each once, as [`LineIndex::line_col`] gives them: one pass over the text up to the last,
/// without an index.
fn positions(text: &str, offsets: &[usize]) -> Vec<(u32, u32, u32)> {
    let mut sorted = offsets.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let bytes = text.as_bytes();
    let continuations = |b: &[u8]| b.iter().filter(|&&c| c & 0xC0 == 0x80).count();
    // Scanned up to `at`, which is on line `line`, `chars` characters in.
    let (mut at, mut line, mut chars) = (0, 1, 0);
    let mut out = Vec::with_capacity(sorted.len());
    for o in sorted {
        let mut to = o.min(bytes.len());
        // Out of a multi-byte character to its first byte.
        while to > 0 && !text.is_char_boundary(to) {
            to -= 1;
        }
        let seg = &bytes[at..to];
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', seg).count();
                let rest = &seg[last + 1..];
                chars = rest.len() - continuations(rest);
            }
            None => chars += seg.len() - continuations(seg),
        }
        at = to;
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        out.push((narrow(o), narrow(line), narrow(chars + 1)));
    }
    out
}

/// Offsets just after each `\n`.
fn line_ends(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', bytes).map(|i| i + 1)
}

/// 1-based line and column (in characters) of `offset` in `text`, clamped to the text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_clamps() {
        let t = "ab\nçd\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 5), (2, 2));
        assert_eq!(line_col(t, 4), (2, 1)); // inside `ç`: clamped back
        assert_eq!(line_col(t, 999), (3, 1));
    }

    #[test]
    fn line_text_agrees_with_str_lines() {
        for t in [
            "a\nb\r\nc",
            "a\r\n\nlast\r",
            "x\n",
            "",
            "\r\n\r\n",
            "é\rb\n",
        ] {
            let mut sources = SourceMap::new();
            let id = sources.add_text("t", t);
            for line in 0usize..6 {
                let expected = t.lines().nth(line.saturating_sub(1)).unwrap_or("");
                assert_eq!(sources.line_text(id, line), expected, "{t:?} line {line}");
            }
        }
    }

    /// Both offset widths answer alike (`usize` is for texts beyond 4 GiB, which a test
    /// cannot build).
    #[test]
    fn narrow_and_wide_offsets_agree() {
        for t in ["ab\nçd\n\n役割 x\r\nlast", "", "x\n", "\n\né"] {
            let small = LineIndex::Small(Offsets::new(t, |i| i as u32));
            let large = LineIndex::Large(Offsets::new(t, |i| i));
            for offset in 0..t.len() + 3 {
                assert_eq!(
                    small.line_col(offset),
                    line_col(t, offset),
                    "{t:?} at {offset}"
                );
                assert_eq!(
                    large.line_col(offset),
                    line_col(t, offset),
                    "{t:?} at {offset}"
                );
            }
            for line in 0..6 {
                assert_eq!(small.line(line), large.line(line), "{t:?} line {line}");
            }
        }
    }

    #[test]
    fn indexed_line_col_agrees_with_the_scan() {
        let t = "ab\nçd\n\n役割 x\r\nlast";
        let mut sources = SourceMap::new();
        let id = sources.add_text("t", t);
        for offset in 0..t.len() + 3 {
            assert_eq!(
                sources.line_col(id, offset),
                line_col(t, offset),
                "at {offset}"
            );
        }
    }

    /// Digests kept while loading are those of the lines the offsets fall on, and only
    /// those: a line with no finding answers `None` (the report reads the file for it).
    /// Kept positions answer for their offsets without the text; any other offset is
    /// answered from the file read again, the same as from a whole index.
    #[test]
    fn kept_positions_answer_without_the_text_and_others_read_it_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        let t = "a = 1\n  bé = \"x\"\r\n\nc\n";
        std::fs::write(&path, t).unwrap();
        let mut sources = SourceMap::new();
        let id = sources.add_disk(path.clone(), "r.toml".into());
        let (b, c) = (t.find('b').unwrap(), t.find('c').unwrap());
        sources.keep_positions(id, t, &[c, b + 4, b, c]);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(sources.line_col(id, b), (2, 3));
        assert_eq!(
            sources.line_col(id, b + 4),
            (2, 6),
            "columns count characters"
        );
        assert_eq!(sources.line_col(id, c), (4, 1));
        assert_eq!(sources.rereads(), 0);
        std::fs::write(&path, t).unwrap();
        assert_eq!(sources.line_col(id, 2), line_col(t, 2));
        assert_eq!(sources.rereads(), 1);
        assert_eq!(sources.line_col(id, b + 4), (2, 6));
    }

    /// Positions kept while loading are those a whole line index gives, for every offset
    /// (inside multi-byte characters, at line ends, past the end), in any order, repeated.
    #[test]
    fn kept_positions_are_the_line_index_s() {
        let t = "a = 1\n  bé = \"x\"\r\n\n€c\né";
        let index = LineIndex::new(t);
        let mut offsets: Vec<usize> = (0..t.len() + 3).rev().collect();
        offsets.extend([4, 4, 0]);
        let kept = positions(t, &offsets);
        assert_eq!(kept.len(), t.len() + 3, "each offset once");
        for (o, line, col) in kept {
            let (l, c) = index.line_col(o as usize);
            assert_eq!((line as usize, col as usize), (l, c), "offset {o}");
        }
    }

    #[test]
    fn kept_line_digests_are_the_lines_at_the_offsets() {
        let t = "a = 1\n  b = \"x\"  \r\n\nc\n";
        let mut sources = SourceMap::new().hashing_lines();
        let id = sources.add_text("t", t);
        let b = t.find('b').unwrap();
        sources.keep_line_digests(id, t, &[b, t.find('c').unwrap(), b + 2]);
        let digest = crate::diagnostics::fingerprint::line_digest;
        assert_eq!(sources.line_digest(id, 2), Some(digest("b = \"x\"")));
        assert_eq!(
            sources.line_digest(id, 4),
            Some(digest(sources.line_text(id, 4).as_ref()))
        );
        assert_eq!(sources.line_digest(id, 1), None);
        assert_eq!(sources.line_digest(id, 3), None);
    }
}
