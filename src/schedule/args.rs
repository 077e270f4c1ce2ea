//! What a job carries of the command line it was installed with: every override given before
//! `schedule` (folders made absolute), the instance by its id, and the language the user asked
//! for (the job's messages in it; its run log stays English JSON).

use super::{Target, absolute, unicode};
use crate::discover::Overrides;
use crate::exit::Failure;
use crate::i18n::Lang;

/// The folder overrides a job carries, by flag.
pub fn override_flags(o: &Overrides) -> [(&'static str, &Option<std::path::PathBuf>); 7] {
    [
        ("--qq-dir", &o.qq_dir),
        ("--ll-dir", &o.ll_dir),
        ("--profile", &o.profile),
        ("--data-dir", &o.data_dir),
        ("--llbot-dir", &o.llbot_dir),
        ("--napcat-dir", &o.napcat_dir),
        ("--qq-data", &o.qq_data),
    ]
}

/// The arguments before the job's `clean`.
pub fn overrides(
    o: &Overrides,
    target: &Target,
    lang: Option<Lang>,
) -> Result<Vec<String>, Failure> {
    let mut out: Vec<String> = Vec::new();
    for (flag, value) in override_flags(o) {
        if let Some(v) = value {
            out.push(flag.into());
            out.push(unicode(&absolute(v)?)?);
        }
    }
    if let Some(id) = &target.instance {
        out.extend(["--instance".to_string(), id.clone()]);
    }
    if let Some(l) = lang.and_then(|l| clap::ValueEnum::to_possible_value(&l)) {
        out.extend(["--lang".to_string(), l.get_name().to_string()]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Weekday;
    use crate::schedule::{Job, JobName, cron, launchd, systemd, task_xml};
    use std::path::PathBuf;

    /// Every override, the instance and the language, in the order given, each once.
    fn expected(id: &str) -> Vec<(&'static str, String)> {
        vec![
            ("--qq-dir", abs("/opt/QQ")),
            ("--ll-dir", abs("/opt/LiteLoaderQQNT")),
            ("--profile", abs("/srv/ll profile")),
            ("--data-dir", abs("/srv/ll profile/data/LLOneBot")),
            ("--llbot-dir", abs("/srv/bots/a")),
            ("--napcat-dir", abs("/srv/napcat/100%")),
            ("--qq-data", abs("/srv/qq-data")),
            ("--instance", id.into()),
            ("--lang", "zh".into()),
        ]
    }

    /// A path as the job carries it: absolute on this platform (`Z:\opt\QQ` under Wine).
    fn abs(p: &str) -> String {
        std::path::absolute(p)
            .unwrap()
            .to_string_lossy()
            .into_owned()
    }

    fn job(id: &str) -> Job {
        let o = Overrides {
            qq_dir: Some("/opt/QQ".into()),
            ll_dir: Some("/opt/LiteLoaderQQNT".into()),
            profile: Some("/srv/ll profile".into()),
            data_dir: Some("/srv/ll profile/data/LLOneBot".into()),
            llbot_dir: Some("/srv/bots/a".into()),
            napcat_dir: Some("/srv/napcat/100%".into()),
            qq_data: Some("/srv/qq-data".into()),
            instances: vec!["/srv/bots/a".into()],
        };
        let mut args = overrides(&o, &Target::for_instance(id), Some(Lang::Zh)).unwrap();
        args.extend(["clean", "--yes", "--quiet"].map(String::from));
        Job {
            exe: PathBuf::from("/usr/bin/llob-doctor"),
            args,
            hour: 4,
            minute: 30,
            weekday: Some(Weekday::Tue),
            log_file: PathBuf::from("/home/a/clean.log"),
        }
    }

    /// The words before `clean`, as pairs.
    fn pairs(words: &[String]) -> Vec<(String, String)> {
        let end = words.iter().position(|w| w == "clean").unwrap();
        words[..end]
            .chunks(2)
            .map(|c| (c[0].clone(), c[1].clone()))
            .collect()
    }

    fn want(id: &str) -> Vec<(String, String)> {
        expected(id)
            .into_iter()
            .map(|(f, v)| (f.to_string(), v))
            .collect()
    }

    #[test]
    fn every_override_reaches_each_scheduler_s_text() {
        let id = "llbot@/srv/bots/a";
        let j = job(id);
        let name = JobName::for_instance(id);
        assert_eq!(pairs(&j.args), want(id));
        assert_eq!(j.instance(), Some(id));

        // The crontab line, split as the shell splits it.
        let back = cron::parse(&cron::block(&j, &name)).unwrap();
        assert_eq!(pairs(&back.words[1..]), want(id));
        // The systemd unit's ExecStart, unquoted as systemd does.
        let back =
            systemd::parse(&format!("{}{}", systemd::service(&j), systemd::timer(&j))).unwrap();
        assert_eq!(pairs(&back.words[1..]), want(id));
        // The plist, read by a plist reader.
        let v: plist::Value = plist::from_bytes(launchd::plist(&j, &name).as_bytes()).unwrap();
        let d = v.as_dictionary().unwrap();
        assert_eq!(d["Label"].as_string(), Some(name.launchd_label().as_str()));
        let words: Vec<String> = d["ProgramArguments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_string().unwrap().to_string())
            .collect();
        assert_eq!(pairs(&words[1..]), want(id));
        // The task definition, read by an XML reader; its arguments split as Windows does.
        let xml = task_xml::task_xml(&j, &name);
        let arguments = xml_text(&xml, "Arguments");
        assert_eq!(pairs(&command_line_to_argv(&arguments)), want(id));
        assert_eq!(xml_text(&xml, "URI"), format!("\\{}", name.task()));
    }

    #[test]
    fn no_language_no_instance_when_none_was_given() {
        let args = overrides(&Overrides::default(), &Target::for_all(), None).unwrap();
        assert!(args.is_empty(), "{args:?}");
    }

    /// The text of the one element `name` in a well-formed XML document, entities resolved.
    fn xml_text(xml: &str, name: &str) -> String {
        use quick_xml::events::Event;
        let mut r = quick_xml::Reader::from_str(xml);
        let mut inside = false;
        let mut found: Option<String> = None;
        loop {
            match r.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    inside = e.name().as_ref() == name;
                    if inside {
                        found = Some(String::new());
                    }
                }
                Event::Text(t) if inside => found.get_or_insert_default().push_str(&t),
                Event::GeneralRef(e) if inside => {
                    let c = match e.resolve_char_ref().unwrap() {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(&e)
                            .expect("a predefined entity")
                            .to_string(),
                    };
                    found.get_or_insert_default().push_str(&c);
                }
                Event::End(_) => inside = false,
                Event::Eof => break,
                _ => {}
            }
        }
        found.unwrap_or_else(|| panic!("no <{name}> in {xml}"))
    }

    /// CommandLineToArgvW's rules for what `winpath::quote_arg` writes: quotes group, `\"` is a quote,
    /// backslashes before a quote are halved.
    fn command_line_to_argv(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let (mut quoted, mut any, mut slashes) = (false, false, 0usize);
        for c in s.chars() {
            match c {
                '\\' => slashes += 1,
                '"' => {
                    cur.push_str(&"\\".repeat(slashes / 2));
                    if slashes % 2 == 1 {
                        cur.push('"');
                    } else {
                        quoted = !quoted;
                    }
                    slashes = 0;
                    any = true;
                }
                c => {
                    cur.push_str(&"\\".repeat(slashes));
                    slashes = 0;
                    if c == ' ' && !quoted {
                        if any {
                            out.push(std::mem::take(&mut cur));
                        }
                        any = false;
                    } else {
                        cur.push(c);
                        any = true;
                    }
                }
            }
        }
        cur.push_str(&"\\".repeat(slashes));
        if any || !cur.is_empty() {
            out.push(cur);
        }
        out
    }
}
