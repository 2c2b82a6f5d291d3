//! Bounded reads: regular files only, each with a size limit.
