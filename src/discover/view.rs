//! The installation as one instance sees it: the checks written for "the" LLOneBot, "the"
//! NapCat and "the" LLBot (`doctor`, `check-versions`) run on each instance in turn, each seeing
//! only that instance and the QQ it runs in.

use super::{Installation, Instance, LlOneBot, Mode};
use crate::version::Dotted;

/// The first LLBot whose default mode is headless (no QQ at all).
const HEADLESS_DEFAULT: Dotted = Dotted::new(8, 0, 8);

impl Installation {
    /// Only `i`, with the singletons set from it: the plugin's `llonebot` (and LiteLoaderQQNT),
    /// NapCat's `napcat`, LLBot's standalone data. QQ stays unless the instance runs without
    /// one (a headless LLBot); QQ's processes stay (they are the machine's).
    pub fn view_of(&self, i: &Instance) -> Installation {
        let plugin = i.stack == crate::stack::llonebot_plugin::STACK.id;
        let llbot = i.stack == crate::stack::llbot::STACK.id;
        let napcat = i.stack == crate::stack::napcat::STACK.id;
        let llonebot = if plugin {
            Some(LlOneBot {
                plugin_dir: i.install.clone(),
                version: i.version.clone(),
                data_dir: i.data_dir.clone(),
                data_dir_exists: i.data_dir_exists,
                source: i.found_via,
                standalone: false,
                accounts: i.accounts.clone(),
            })
        } else if llbot {
            // A standalone data dir (`--data-dir` of LLOneBot 5+) is this LLBot's.
            self.llonebot
                .as_ref()
                .filter(|l| l.standalone && l.data_dir == i.data_dir)
                .cloned()
        } else {
            None
        };
        let napcats: Vec<_> = self
            .napcats
            .iter()
            .filter(|n| napcat && super::same_folder(&n.work_dir, &i.data_dir))
            .cloned()
            .collect();
        let headless = llbot && i.mode == Some(Mode::Headless);
        Installation {
            platform: self.platform,
            qq: self.qq.clone().filter(|_| !headless),
            processes: self.processes.clone(),
            liteloader: self.liteloader.clone().filter(|_| plugin),
            llonebot,
            napcat: napcats.first().cloned(),
            napcats,
            instances: vec![i.clone()],
            searched: self.searched.clone(),
            warnings: self.warnings.clone(),
        }
    }

    /// Does this instance run in QQ (or drive one): the plugin, NapCat, LLBot through PMHQ?
    pub fn uses_qq(i: &Instance) -> bool {
        !(i.stack == crate::stack::llbot::STACK.id && i.mode == Some(Mode::Headless))
    }

    /// May this instance do without QQ: a headless LLBot, or a stopped LLBot of a version whose
    /// default is headless (8.0.8+), whose mode shows only once it runs.
    pub fn may_do_without_qq(i: &Instance) -> bool {
        let llbot = i.stack == crate::stack::llbot::STACK.id;
        let headless_by_default = i
            .version
            .as_deref()
            .and_then(|v| Dotted::parse(v).ok())
            .is_some_and(|v| v >= HEADLESS_DEFAULT);
        !Self::uses_qq(i) || (llbot && i.mode.is_none() && headless_by_default)
    }
}
