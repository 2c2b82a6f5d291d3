//! Reading this process's memory mappings (`/proc/self/smaps`, Linux) for the tests of the
//! worker pool's arena reservation.
#![allow(dead_code)]

/// One mapping: its header line's permissions and path, its size, resident size and flags.
#[derive(Debug)]
pub struct Mapping<'a> {
    pub perms: &'a str,
    pub path: &'a str,
    pub size_kib: u64,
    pub rss_kib: u64,
    pub flags: &'a str,
}

impl Mapping<'_> {
    /// Room a reservation leaves in an arena: a private, writable, anonymous stretch (a
    /// worker's arena heap, or the process heap) of at least 20 MiB.
    pub fn is_reserved_room(&self) -> bool {
        self.perms == "rw-p"
            && (self.path.is_empty() || self.path == "[heap]")
            && self.size_kib >= 20 << 10
    }

    /// Marked for transparent huge pages (`madvise(MADV_HUGEPAGE)`).
    pub fn huge_page_marked(&self) -> bool {
        self.flags.split_whitespace().any(|f| f == "hg")
    }
}

/// The mappings of `/proc/self/smaps`: a header line (`start-end perms offset dev inode
/// path`), then `Key: value` lines.
pub fn mappings(smaps: &str) -> Vec<Mapping<'_>> {
    let mut out = Vec::new();
    let mut current: Option<Mapping> = None;
    for line in smaps.lines() {
        if let Some(header) = header(line) {
            out.extend(current.replace(header));
            continue;
        }
        let (key, value) = line.split_once(':').unwrap_or(("", ""));
        let kib = || value.trim().trim_end_matches(" kB").parse().unwrap_or(0);
        let Some(m) = current.as_mut() else { continue };
        match key {
            "Size" => m.size_kib = kib(),
            "Rss" => m.rss_kib = kib(),
            "VmFlags" => m.flags = value,
            _ => {}
        }
    }
    out.extend(current);
    out
}

/// A header line starts with an address range `hex-hex`; `Key: value` lines never do.
fn header(line: &str) -> Option<Mapping<'_>> {
    let mut fields = line.split_whitespace();
    let range = fields.next()?;
    let (start, end) = range.split_once('-')?;
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex(start) || !hex(end) {
        return None;
    }
    let perms = fields.next()?;
    let path = fields.nth(3).unwrap_or("");
    Some(Mapping {
        perms,
        path,
        size_kib: 0,
        rss_kib: 0,
        flags: "",
    })
}

/// `VmRSS` of this process, in KiB.
pub fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux has status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
        .expect("VmRSS in KiB")
}
