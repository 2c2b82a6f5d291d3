//! Writes that never replace what they should not.
