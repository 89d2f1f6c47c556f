//! Asking the operating system for a large vector's memory before it is written.
//!
//! A new vector of a million records is about 48 MB of fresh pages, and the first write to each
//! 4 KiB page is a page fault: on a virtual machine each costs about 2 µs, a fifth of the time
//! attaching the records takes. On Linux (5.14 and later) one `madvise(MADV_POPULATE_WRITE)`
//! call maps a range of pages at once, as writing to each page would, without the fault per
//! page; the log builder asks for 4 MiB of room at a time, just ahead of the records it
//! writes. Elsewhere, or when the call fails, nothing changes: the pages fault in as they are
//! written.

/// Ranges below this are left to fault in as they are written (one call costs more than the
/// faults it saves on a few pages, and small blocks usually reuse the heap's pages).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const AT_LEAST: usize = 1 << 20;

/// The boundary the range asked for is rounded to: the page size on x86 (always 4 KiB), and
/// elsewhere 64 KiB, a multiple of every page size Linux uses for ordinary pages.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const PAGE: usize = if cfg!(any(target_arch = "x86", target_arch = "x86_64")) {
    4 << 10
} else {
    64 << 10
};

/// Asks the kernel to map the pages of the next `elements` of `vec`'s spare capacity (all of
/// it, if less) now, in one call, rather than one fault at a time as they are written. Only
/// what is about to be written is asked for: a vector's spare capacity may never be used, and
/// mapping it would take memory for nothing. A hint: the vector and its contents are the
/// same whatever happens, and failure (an older kernel, another system, no memory to spare
/// now) is not an error.
///
/// Returns whether the pages were mapped.
pub(crate) fn prefault<T>(vec: &mut Vec<T>, elements: usize) -> bool {
    let size = std::mem::size_of::<T>();
    let spare = vec.capacity() - vec.len();
    let first = vec.len() * size;
    let bytes = elements.min(spare) * size;
    if bytes < AT_LEAST {
        return false;
    }
    populate(vec, first, first + bytes)
}

/// Maps the whole pages of `vec`'s allocation that bytes `from..to` of it touch.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn populate<T>(vec: &mut Vec<T>, from: usize, to: usize) -> bool {
    let allocation = vec.capacity() * std::mem::size_of::<T>();
    let base = vec.as_mut_ptr().cast::<u8>();
    let address = base as usize;
    let down = |a: usize| a & !(PAGE - 1);
    // The whole pages that bytes `from..to` touch, less any the allocation does not hold
    // entirely.
    let low = down(address + from).max(down(address + PAGE - 1));
    let high = down(address + to + PAGE - 1).min(down(address + allocation));
    if high <= low {
        return false;
    }
    let (start, len) = (low - address, high - low);
    // SAFETY: `[base + start, base + start + len)` is whole pages inside the vector's own
    // allocation, which the exclusive borrow keeps anyone else from reading or writing while
    // the call runs. MADV_POPULATE_WRITE only maps the pages writable, as writing to them
    // would; it changes no byte (pages already mapped keep their contents, new ones read as
    // the zeroes they would read as anyway). The call takes no other pointer.
    let done = unsafe {
        libc::madvise(
            base.wrapping_add(start).cast::<libc::c_void>(),
            len,
            libc::MADV_POPULATE_WRITE,
        )
    };
    done == 0
}

#[cfg(not(target_os = "linux"))]
fn populate<T>(_vec: &mut Vec<T>, _from: usize, _to: usize) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minor page faults of the calling thread so far, where the system tells.
    fn faults() -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        // Fields after the command's closing parenthesis: state is the first, minflt the 8th.
        let after = &stat[stat.rfind(')')? + 2..];
        after.split(' ').nth(7)?.parse().ok()
    }

    #[test]
    fn a_prefaulted_vector_keeps_its_contents_and_takes_no_faults_when_written() {
        const BYTES: usize = 64 << 20;
        let mut vec: Vec<u64> = Vec::with_capacity(BYTES / 8);
        vec.extend(0..1_000);
        let mapped = prefault(&mut vec, usize::MAX);
        assert!(vec.iter().copied().eq(0..1_000), "contents unchanged");
        let before = faults();
        vec.extend(1_000..(BYTES / 8) as u64);
        let after = faults();
        assert!(vec.iter().copied().eq(0..(BYTES / 8) as u64));
        if cfg!(target_os = "linux") && mapped {
            let (before, after) = (before.unwrap(), after.unwrap());
            // 16,384 pages of 4 KiB written; a partial page at either end may fault.
            assert!(after - before < 64, "{} faults", after - before);
        }
    }

    #[test]
    fn only_the_room_asked_for_is_mapped() {
        const BYTES: usize = 64 << 20;
        let mut vec: Vec<u8> = Vec::with_capacity(BYTES);
        // Mapping the first 8 MiB of room takes the memory of 8 MiB, not 64.
        let mapped = prefault(&mut vec, 8 << 20);
        let before = faults();
        vec.resize(8 << 20, 1);
        let within = faults();
        vec.resize(BYTES, 2);
        let beyond = faults();
        assert!(vec[..8 << 20].iter().all(|&b| b == 1) && vec[8 << 20..].iter().all(|&b| b == 2));
        if cfg!(target_os = "linux") && mapped {
            let (before, within, beyond) = (before.unwrap(), within.unwrap(), beyond.unwrap());
            assert!(within - before < 64, "{} faults", within - before);
            // The other 56 MiB fault in as they are written (fewer faults with huge pages).
            assert!(beyond > within, "the rest was mapped too");
        }
    }

    #[test]
    fn small_or_full_vectors_are_left_alone() {
        let mut small: Vec<u8> = Vec::with_capacity(AT_LEAST - 1);
        assert!(!prefault(&mut small, usize::MAX));
        let mut big: Vec<u8> = Vec::with_capacity(4 * AT_LEAST);
        assert!(!prefault(&mut big, AT_LEAST - 1), "too little asked for");
        let mut full = vec![0_u8; 4 * AT_LEAST];
        assert!(!prefault(&mut full, usize::MAX));
        assert_eq!(full.len(), 4 * AT_LEAST);
        let mut none: Vec<u8> = Vec::new();
        assert!(!prefault(&mut none, usize::MAX));
        let mut zero_sized: Vec<()> = Vec::with_capacity(1 << 30);
        assert!(!prefault(&mut zero_sized, usize::MAX));
    }
}
