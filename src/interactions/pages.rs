//! Asking the operating system for a large vector's memory before it is written.
//!
//! A new vector of a million records is about 48 MB of fresh pages, and the first write to each
//! 4 KiB page is a page fault: on a virtual machine each costs about 2 µs, a fifth of the time
//! attaching the records takes. On Linux (5.14 and later) one `madvise(MADV_POPULATE_WRITE)`
//! call maps the whole reserved range at once, as writing to each page would, without the
//! fault per page. Elsewhere, or when the call fails, nothing changes: the pages fault in as
//! they are written.

use std::mem::MaybeUninit;

/// Spare capacity below this is left to fault in as it is written (one call costs more than
/// the faults it saves on a few pages, and small blocks usually reuse the heap's pages).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const AT_LEAST: usize = 1 << 20;

/// The range asked for starts and ends on this boundary: a multiple of every page size Linux
/// uses for ordinary pages (4 KiB to 64 KiB), so no partial page outside the vector is named.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const ALIGN: usize = 64 << 10;

/// Asks the kernel to map the pages of `vec`'s spare capacity now, in one call, rather than
/// one fault at a time as records are pushed. A hint: the vector and its contents are the same
/// whatever happens, and failure (an older kernel, another system, no memory to spare now) is
/// not an error.
///
/// Returns whether the pages were mapped.
pub(crate) fn prefault<T>(vec: &mut Vec<T>) -> bool {
    populate(vec.spare_capacity_mut())
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn populate<T>(spare: &mut [MaybeUninit<T>]) -> bool {
    let bytes = std::mem::size_of_val(spare);
    if bytes < AT_LEAST {
        return false;
    }
    let base = spare.as_mut_ptr().cast::<u8>();
    let lead = base.align_offset(ALIGN);
    if lead >= bytes {
        return false;
    }
    let len = (bytes - lead) / ALIGN * ALIGN;
    if len == 0 {
        return false;
    }
    // SAFETY: `[base + lead, base + lead + len)` lies inside `spare`, memory of the vector's own
    // allocation that the exclusive borrow keeps anyone else from reading or writing, and its
    // ends are page boundaries, so no page outside it is named. MADV_POPULATE_WRITE only maps
    // the pages writable, as writing to them would; it writes no byte the program could see
    // (spare capacity is uninitialised for Rust either way). The call takes no other pointer.
    let done = unsafe {
        libc::madvise(
            base.wrapping_add(lead).cast::<libc::c_void>(),
            len,
            libc::MADV_POPULATE_WRITE,
        )
    };
    done == 0
}

#[cfg(not(target_os = "linux"))]
fn populate<T>(_spare: &mut [MaybeUninit<T>]) -> bool {
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
        let mapped = prefault(&mut vec);
        assert!(vec.iter().copied().eq(0..1_000), "contents unchanged");
        let before = faults();
        vec.extend(1_000..(BYTES / 8) as u64);
        let after = faults();
        assert!(vec.iter().copied().eq(0..(BYTES / 8) as u64));
        if cfg!(target_os = "linux") && mapped {
            let (before, after) = (before.unwrap(), after.unwrap());
            // 16,384 pages of 4 KiB written; at most the two partial ends fault.
            assert!(after - before < 64, "{} faults", after - before);
        }
    }

    #[test]
    fn small_or_full_vectors_are_left_alone() {
        let mut small: Vec<u8> = Vec::with_capacity(AT_LEAST - 1);
        assert!(!prefault(&mut small));
        let mut full = vec![0_u8; 4 * AT_LEAST];
        assert!(!prefault(&mut full));
        assert_eq!(full.len(), 4 * AT_LEAST);
        let mut none: Vec<u8> = Vec::new();
        assert!(!prefault(&mut none));
    }
}
