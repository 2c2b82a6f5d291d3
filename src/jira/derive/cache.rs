//! Verdict look-ups shared by every evaluation of a run.
use super::*;

/// Verdict look-ups shared by every evaluation of a run.
///
/// Boards with a complex filter span every project of the repository, so every such board
/// asks the same (who, permission) question over the same projects: answered once, from
/// each permission's grantees (found once per permission).
#[derive(Default)]
pub struct LevelCache<'m> {
    pub(super) levels: Mutex<Levels>,
    /// (who, capability id, detail) → its evaluation on a complex board, for capabilities
    /// that name nothing of the board itself (every complex board has the same projects).
    pub(super) verdicts: Mutex<FxHashMap<(Holder, String, usize), Outcome>>,
    /// Built once per permission: the other thread waits rather than building it again.
    pub(super) grantees: Mutex<FxHashMap<String, Arc<OnceLock<Grantees<'m>>>>>,
}

/// (who, permission key) → the verdict in each project of a complex board.
pub(super) type Levels = FxHashMap<(Holder, String), Arc<[Level]>>;

impl<'m> LevelCache<'m> {
    pub(super) fn levels(&self, cx: &Cx<'_, 'm>, key: &str) -> Arc<[Level]> {
        if !cx.board.complex() {
            let subj = cx.subject();
            return (cx.board.projects())
                .map(|(project, _)| subject::level(cx.model, subj, project, key))
                .collect();
        }
        let id = (cx.who.clone(), key.to_string());
        if let Some(l) = lock(&self.levels).get(&id) {
            return l.clone();
        }
        // Computed outside the lock; two threads racing on one key do the work twice, once.
        let grantees = self.grantees(key);
        let grantees = grantees.get_or_init(|| Grantees::new(cx.model, key));
        let by_project = grantees.levels(cx.subject());
        // A complex board's projects are every project, in order.
        let levels: Arc<[Level]> = by_project.into();
        lock(&self.levels).insert(id, levels.clone());
        levels
    }

    /// The evaluation of `cap` for `who` on `board`, shared by every complex board when it
    /// cannot differ between them: no requirement about the board itself (its admins, its
    /// project count, its workflow, whose text names the board).
    pub(super) fn shared(
        &self,
        board: &BoardView,
        cap: &Capability,
        who: &Holder,
        detail: usize,
        compute: impl FnOnce() -> Outcome,
    ) -> Outcome {
        let shared = board.complex()
            && (cap.requires.atoms().iter()).all(|a| {
                matches!(
                    a.kind,
                    AtomKind::EveryBoardProject(_)
                        | AtomKind::IssueProject(_)
                        | AtomKind::Global(_)
                )
            });
        if !shared {
            return compute();
        }
        let id = (who.clone(), cap.id.get_ref().clone(), detail);
        if let Some(o) = lock(&self.verdicts).get(&id) {
            return o.clone();
        }
        let o = compute(); // outside the lock, like `levels`
        lock(&self.verdicts).insert(id, o.clone());
        o
    }

    pub(super) fn grantees(&self, key: &str) -> Arc<OnceLock<Grantees<'m>>> {
        let mut map = lock(&self.grantees);
        if let Some(g) = map.get(key) {
            return g.clone();
        }
        map.entry(key.to_string()).or_default().clone()
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
