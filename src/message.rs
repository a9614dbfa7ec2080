//! Error messages built without `core::fmt`.
//!
//! The embedded wasm links no formatting machinery (`fmt::write`, `Formatter::pad`, `format!`'s buffer): every
//! error that can reach the page from its build is a [`Message`], made of string pieces by [`concat`]. Messages
//! with a number are not made here: the wasm layer lets JS format the number (`src/wasm/error.rs`). The
//! `Display` impls of these errors print the same message, for host callers. Measured: −723 B brotli of the
//! embedded wasm (BENCHMARKS.md row 3, sixth step).

/// An error whose message needs no `core::fmt`.
pub trait Message {
    /// The message, which says what was wrong and how to fix it.
    fn message(&self) -> String;
}

impl Message for String {
    fn message(&self) -> String {
        self.clone()
    }
}

impl Message for &str {
    fn message(&self) -> String {
        (*self).into()
    }
}

/// The pieces, joined.
#[inline(never)]
pub fn concat(pieces: &[&str]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for piece in pieces {
        out.push_str(piece);
    }
    out
}

/// `names` joined by `", "` (a `dyn` iterator: one copy of the loop for every list).
#[inline(never)]
pub fn list(names: &mut dyn Iterator<Item = &str>) -> String {
    let mut out = String::new();
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_and_list_join_their_pieces() {
        assert_eq!(concat(&["a \"", "b", "\" c"]), "a \"b\" c");
        assert_eq!(concat(&[]), "");
        assert_eq!(list(&mut ["x", "y", "z"].into_iter()), "x, y, z");
        assert_eq!(list(&mut std::iter::empty()), "");
    }
}
