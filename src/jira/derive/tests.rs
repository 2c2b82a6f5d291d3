use super::*;
use Level::{Always as A, Never as N, Sometimes as S};

fn each(v: &[Level]) -> PerProject {
    PerProject::Each(v.into())
}

fn levels(p: &PerProject) -> Vec<Level> {
    (0..2).map(|i| p.at(i)).collect()
}

#[test]
fn all_of_and_any_of_combine_project_by_project() {
    let (schedule, edit) = (each(&[A, N]), each(&[N, A]));
    let all = PerProject::combine(true, &[&schedule, &edit]);
    assert_eq!(levels(&all), [N, N]);
    assert_eq!((all.min(), all.max()), (N, N));
    let any = PerProject::combine(false, &[&schedule, &edit]);
    assert_eq!((any.min(), any.max()), (A, A));
    // A board-wide part bounds every project.
    let mixed = PerProject::combine(true, &[&PerProject::Board(S), &each(&[A, N])]);
    assert_eq!(levels(&mixed), [S, N]);
    let boardwide = PerProject::combine(true, &[&PerProject::Board(A), &PerProject::Board(S)]);
    assert!(matches!(boardwide, PerProject::Board(S)));
    // No project: no issue to act on.
    let empty = PerProject::combine(true, &[&each(&[])]);
    assert_eq!((empty.min(), empty.max()), (N, N));
}
