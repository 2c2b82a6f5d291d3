//! Output made in parts on every thread and written in order: a report of tens of
//! thousands of findings is rendered in parallel while only a window of it is in memory.
use rayon::prelude::*;
use std::io::{self, Write};

/// `render(at, part, buffer)` for each part of `part` items of `items` (`at`: the index of
/// its first item), written to `out` in order, four parts in memory at a time. Items that
/// fit in one part are rendered on this thread: a small run never starts the thread pool.
pub fn write_in_parts<T: Sync>(
    items: &[T],
    part: usize,
    out: &mut dyn Write,
    render: impl Fn(usize, &[T], &mut Vec<u8>) -> io::Result<()> + Sync,
) -> io::Result<()> {
    let mut buf = Vec::new();
    if items.len() <= part {
        render(0, items, &mut buf)?;
        return out.write_all(&buf);
    }
    let window = 4 * part;
    // A window's parts are rendered into the same buffers each time: buffers made anew
    // were grown and their fresh pages cleared by the kernel for every window.
    let mut bufs: Vec<Vec<u8>> = Vec::new();
    for (w, items) in items.chunks(window).enumerate() {
        let parts: Vec<&[T]> = items.chunks(part).collect();
        if bufs.len() < parts.len() {
            bufs.resize_with(parts.len(), Vec::new);
        }
        let bufs = &mut bufs[..parts.len()];
        (bufs.par_iter_mut().zip(parts).enumerate()).try_for_each(|(p, (buf, items))| {
            buf.clear();
            render(w * window + p * part, items, buf)
        })?;
        for buf in bufs.iter() {
            out.write_all(buf)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_written_in_order_with_their_first_index() {
        let items: Vec<usize> = (0..1000).collect();
        let render = |at: usize, part: &[usize], buf: &mut Vec<u8>| {
            assert_eq!(part[0], at);
            part.iter().try_for_each(|i| writeln!(buf, "{i}"))
        };
        let want: String = items.iter().map(|i| format!("{i}\n")).collect();
        for part in [1, 7, 1000, 5000] {
            let mut out = Vec::new();
            write_in_parts(&items, part, &mut out, render).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want, "parts of {part}");
        }
    }
}
