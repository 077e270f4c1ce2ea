
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'llob-doctor' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'llob-doctor'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'llob-doctor' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('detect', 'detect', [CompletionResultType]::ParameterValue, 'Find QQ, its processes, LiteLoaderQQNT and LLOneBot, and say how each was found')
            [CompletionResult]::new('check-versions', 'check-versions', [CompletionResultType]::ParameterValue, 'Compare installed QQ, LiteLoaderQQNT and LLOneBot versions with the minimums')
            [CompletionResult]::new('clean', 'clean', [CompletionResultType]::ParameterValue, 'Remove LLOneBot''s legacy msg_<uin> databases and temp files (preview first)')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Count sends and send timeouts in LLOneBot''s log files')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Run every check: processes, discovery, versions, caches, configs, send timeouts')
            [CompletionResult]::new('probe', 'probe', [CompletionResultType]::ParameterValue, 'Ask each account''s running LLOneBot for its version and status over HTTP')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Run clean unattended from cron, systemd, launchd or Windows Task Scheduler')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (roff)')
            break
        }
        'llob-doctor;detect' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
        'llob-doctor;check-versions' {
            [CompletionResult]::new('--min-qq', '--min-qq', [CompletionResultType]::ParameterName, 'The minimum QQ version, in any platform''s form (9.9.15, 3.2.12, 6.9.53, 9.9.16-28788)')
            [CompletionResult]::new('--min-llonebot', '--min-llonebot', [CompletionResultType]::ParameterName, 'The minimum LLOneBot version')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
        'llob-doctor;clean' {
            [CompletionResult]::new('--uin', '--uin', [CompletionResultType]::ParameterName, 'Only these accounts (QQ numbers); repeatable')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only temp entries and logs older than this (e.g. 7d, 12h, 30m)')
            [CompletionResult]::new('--qq-cache-kinds', '--qq-cache-kinds', [CompletionResultType]::ParameterName, 'Which kinds of QQ''s cache, comma-separated (implies --qq-cache) [default: all but file] [possible values: pic, video, ptt, file, emoji, temp, log, hot_update]')
            [CompletionResult]::new('--stop-timeout', '--stop-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for QQ to quit [default: 15]')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append one JSON line about this run to FILE (for scheduled runs)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Show what would be removed, and remove nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would be removed, and remove nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask; required when not run from a terminal (cron, a pipe)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask; required when not run from a terminal (cron, a pipe)')
            [CompletionResult]::new('--logs', '--logs', [CompletionResultType]::ParameterName, 'Also remove log files in logs/')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Also remove the SQLite message store in database/ (message ids for replies and recalls are lost)')
            [CompletionResult]::new('--qq-cache', '--qq-cache', [CompletionResultType]::ParameterName, 'Also remove QQ''s own media cache: pictures, videos, voice, received emoji, temp, logs, hot-update zips (files older than 3 days unless --older-than; never databases or settings)')
            [CompletionResult]::new('--stop-qq', '--stop-qq', [CompletionResultType]::ParameterName, 'Ask QQ to quit first, and wait for all its processes to be gone')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Force-kill QQ processes still running after --stop-timeout')
            [CompletionResult]::new('--restart-qq', '--restart-qq', [CompletionResultType]::ParameterName, 'Start QQ again after cleaning, as it was started before')
            [CompletionResult]::new('--trash', '--trash', [CompletionResultType]::ParameterName, 'Move to the OS trash instead of deleting')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
        'llob-doctor;stats' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only from this day (2024-08-01) or this long ago (7d, 12h) on, on the log''s local clock')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('--prometheus', '--prometheus', [CompletionResultType]::ParameterName, 'Print Prometheus metrics (for node_exporter''s textfile collector) instead of the report')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
        'llob-doctor;doctor' {
            [CompletionResult]::new('--temp-warn', '--temp-warn', [CompletionResultType]::ParameterName, 'Warn when temp/ is larger than this (e.g. 1GiB, 500M) [default: 1GiB]')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Count send timeouts in the logs of this long ago (7d) or since this day (2024-08-01) [default: 7d]')
            [CompletionResult]::new('--qq-cache-warn', '--qq-cache-warn', [CompletionResultType]::ParameterName, 'Warn when QQ''s own media cache is larger than this in all (e.g. 5GiB) [default: 5GiB]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('--probe', '--probe', [CompletionResultType]::ParameterName, 'Also ask each account''s running LLOneBot over HTTP (get_version_info, get_status)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
        'llob-doctor;probe' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
        'llob-doctor;schedule' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'The time of day to run, HH:MM in local time (install)')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'How often to run [default: day] [possible values: day, week]')
            [CompletionResult]::new('--weekday', '--weekday', [CompletionResultType]::ParameterName, 'The day, with --every week [default: sun] [possible values: mon, tue, wed, thu, fri, sat, sun]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'The scheduler [default: schtasks on Windows, launchd on macOS, cron elsewhere] [possible values: cron, systemd, launchd, schtasks]')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Where each run appends its JSON line [default: clean.log in the user''s data directory]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('--systemd', '--systemd', [CompletionResultType]::ParameterName, 'Use a systemd user timer (same as --backend systemd)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
        'llob-doctor;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
        'llob-doctor;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]')
            [CompletionResult]::new('--qq-dir', '--qq-dir', [CompletionResultType]::ParameterName, 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)')
            [CompletionResult]::new('--ll-dir', '--ll-dir', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT root folder (holding its package.json)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The LLOneBot data folder itself (<profile>/data/LLOneBot, or data/ of a standalone LLOneBot)')
            [CompletionResult]::new('--qq-data', '--qq-data', [CompletionResultType]::ParameterName, 'QQ''s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)')
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'Inspect another system''s layout: paths are read under --fs-root as this platform''s [possible values: windows, linux, macos]')
            [CompletionResult]::new('--fs-root', '--fs-root', [CompletionResultType]::ParameterName, 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of the human report')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print errors only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more (with detect: every candidate path tried and why it was taken or rejected)')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
