
use builtin;
use str;

set edit:completion:arg-completer[llob-doctor] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'llob-doctor'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'llob-doctor'= {
            cand --color 'When to use colours (NO_COLOR turns them off for auto)'
            cand --qq-dir 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)'
            cand --ll-dir 'The LiteLoaderQQNT root folder (holding its package.json)'
            cand --profile 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]'
            cand --data-dir 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)'
            cand --platform 'Inspect another system''s layout: paths are read under --fs-root as this platform''s'
            cand --fs-root 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)'
            cand --json 'Print one JSON document on stdout instead of the human report'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand -v 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand --verbose 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand detect 'Find QQ, its processes, LiteLoaderQQNT and LLOneBot, and say how each was found'
            cand check-versions 'Compare installed QQ, LiteLoaderQQNT and LLOneBot versions with the minimums'
            cand clean 'Remove LLOneBot''s legacy msg_<uin> databases and temp files (preview first)'
            cand schedule 'Run clean unattended from cron, systemd, launchd or Windows Task Scheduler'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the manual page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'llob-doctor;detect'= {
            cand --color 'When to use colours (NO_COLOR turns them off for auto)'
            cand --qq-dir 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)'
            cand --ll-dir 'The LiteLoaderQQNT root folder (holding its package.json)'
            cand --profile 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]'
            cand --data-dir 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)'
            cand --platform 'Inspect another system''s layout: paths are read under --fs-root as this platform''s'
            cand --fs-root 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)'
            cand --json 'Print one JSON document on stdout instead of the human report'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand -v 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand --verbose 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'llob-doctor;check-versions'= {
            cand --min-qq 'The minimum QQ version, in any platform''s form (9.9.15, 3.2.12, 6.9.53, 9.9.16-28788)'
            cand --min-llonebot 'The minimum LLOneBot version'
            cand --color 'When to use colours (NO_COLOR turns them off for auto)'
            cand --qq-dir 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)'
            cand --ll-dir 'The LiteLoaderQQNT root folder (holding its package.json)'
            cand --profile 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]'
            cand --data-dir 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)'
            cand --platform 'Inspect another system''s layout: paths are read under --fs-root as this platform''s'
            cand --fs-root 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)'
            cand --json 'Print one JSON document on stdout instead of the human report'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand -v 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand --verbose 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'llob-doctor;clean'= {
            cand --uin 'Only these accounts (QQ numbers); repeatable'
            cand --older-than 'Only temp entries and logs older than this (e.g. 7d, 12h, 30m)'
            cand --stop-timeout 'Seconds to wait for QQ to quit'
            cand --log-file 'Append one JSON line about this run to FILE (for scheduled runs)'
            cand --color 'When to use colours (NO_COLOR turns them off for auto)'
            cand --qq-dir 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)'
            cand --ll-dir 'The LiteLoaderQQNT root folder (holding its package.json)'
            cand --profile 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]'
            cand --data-dir 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)'
            cand --platform 'Inspect another system''s layout: paths are read under --fs-root as this platform''s'
            cand --fs-root 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)'
            cand -n 'Show what would be removed, and remove nothing'
            cand --dry-run 'Show what would be removed, and remove nothing'
            cand -y 'Do not ask; required when not run from a terminal (cron, a pipe)'
            cand --yes 'Do not ask; required when not run from a terminal (cron, a pipe)'
            cand --logs 'Also remove log files in logs/'
            cand --database 'Also remove the SQLite message store in database/ (message ids for replies and recalls are lost)'
            cand --stop-qq 'Ask QQ to quit first, and wait for all its processes to be gone'
            cand --force 'Force-kill QQ processes still running after --stop-timeout'
            cand --restart-qq 'Start QQ again after cleaning, as it was started before'
            cand --trash 'Move to the OS trash instead of deleting'
            cand --json 'Print one JSON document on stdout instead of the human report'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand -v 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand --verbose 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'llob-doctor;schedule'= {
            cand --at 'The time of day to run, HH:MM in local time (install)'
            cand --every 'How often to run'
            cand --weekday 'The day, with --every week [default: sun]'
            cand --backend 'The scheduler [default: schtasks on Windows, launchd on macOS, cron elsewhere]'
            cand --log-file 'Where each run appends its JSON line [default: clean.log in the user''s data directory]'
            cand --color 'When to use colours (NO_COLOR turns them off for auto)'
            cand --qq-dir 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)'
            cand --ll-dir 'The LiteLoaderQQNT root folder (holding its package.json)'
            cand --profile 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]'
            cand --data-dir 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)'
            cand --platform 'Inspect another system''s layout: paths are read under --fs-root as this platform''s'
            cand --fs-root 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)'
            cand --systemd 'Use a systemd user timer (same as --backend systemd)'
            cand --json 'Print one JSON document on stdout instead of the human report'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand -v 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand --verbose 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'llob-doctor;completions'= {
            cand --color 'When to use colours (NO_COLOR turns them off for auto)'
            cand --qq-dir 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)'
            cand --ll-dir 'The LiteLoaderQQNT root folder (holding its package.json)'
            cand --profile 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]'
            cand --data-dir 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)'
            cand --platform 'Inspect another system''s layout: paths are read under --fs-root as this platform''s'
            cand --fs-root 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)'
            cand --json 'Print one JSON document on stdout instead of the human report'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand -v 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand --verbose 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'llob-doctor;man'= {
            cand --color 'When to use colours (NO_COLOR turns them off for auto)'
            cand --qq-dir 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)'
            cand --ll-dir 'The LiteLoaderQQNT root folder (holding its package.json)'
            cand --profile 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]'
            cand --data-dir 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)'
            cand --platform 'Inspect another system''s layout: paths are read under --fs-root as this platform''s'
            cand --fs-root 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)'
            cand --json 'Print one JSON document on stdout instead of the human report'
            cand -q 'Print errors only'
            cand --quiet 'Print errors only'
            cand -v 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand --verbose 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'llob-doctor;help'= {
            cand detect 'Find QQ, its processes, LiteLoaderQQNT and LLOneBot, and say how each was found'
            cand check-versions 'Compare installed QQ, LiteLoaderQQNT and LLOneBot versions with the minimums'
            cand clean 'Remove LLOneBot''s legacy msg_<uin> databases and temp files (preview first)'
            cand schedule 'Run clean unattended from cron, systemd, launchd or Windows Task Scheduler'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the manual page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'llob-doctor;help;detect'= {
        }
        &'llob-doctor;help;check-versions'= {
        }
        &'llob-doctor;help;clean'= {
        }
        &'llob-doctor;help;schedule'= {
        }
        &'llob-doctor;help;completions'= {
        }
        &'llob-doctor;help;man'= {
        }
        &'llob-doctor;help;help'= {
        }
    ]
    $completions[$command]
}
