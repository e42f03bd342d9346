//! Reading files: bounded by the size limit, with one buffer per worker,
//! and the decoded text of a UTF-16 file for the literal prefilter.

use std::io::Read;
use std::path::Path;

/// Reads the file at `path` into `buf`, which is kept initialised to its
/// full length and only grows, and returns the file's length, or
/// `Err(size)` without reading further when it is larger than `limit`
/// (the buffer never grows past `limit` + 1 bytes, so memory stays bounded
/// whatever the file). Reading until end of file with plain `read` calls
/// saves the `statx` and `lseek` that `read_to_end` spends per file to
/// size its buffer (two of the five system calls per file of a
/// whole-repository run).
pub fn read_into(
    path: &Path,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<Result<usize, u64>> {
    let mut file = std::fs::File::open(path)?;
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut n = 0;
    loop {
        if n >= cap {
            let size = file.metadata().map_or(n as u64, |m| m.len().max(n as u64));
            return Ok(Err(size));
        }
        if n == buf.len() {
            buf.resize(
                (2 * buf.len()).max(64 * 1024).min(cap.max(buf.len() + 1)),
                0,
            );
        }
        let room = buf.len().min(cap);
        match file.read(&mut buf[n..room]) {
            Ok(0) => return Ok(Ok(n)),
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The text of a UTF-16 file (known by its BOM), decoded: its raw bytes
/// hold no ASCII trigger words, so the prefilter reads this instead.
/// `None` for any other file.
pub fn utf16_text(bytes: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, bom)) if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE => {
            Some(enc.decode_without_bom_handling(&bytes[bom..]).0)
        }
        _ => None,
    }
}
