# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_llob_doctor_global_optspecs
    string join \n json q/quiet v/verbose color= qq-dir= ll-dir= profile= data-dir= llbot-dir= napcat-dir= qq-data= instance= platform= fs-root= lang= h/help V/version
end

function __fish_llob_doctor_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_llob_doctor_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_llob_doctor_using_subcommand
    set -l cmd (__fish_llob_doctor_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -s V -l version -d 'Print version'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "detect" -d 'Find QQ, LiteLoaderQQNT, every bot (the LLOneBot plugin, LLBot, NapCat) with its processes, and QQ\'s media cache, and say how each was found'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "check-versions" -d 'Compare installed QQ, LiteLoaderQQNT, LLOneBot plugin, LLBot and NapCat versions with the minimums and Tencent\'s login floor'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "clean" -d 'Remove bot caches with a preview first: the LLOneBot plugin\'s and LLBot\'s temp files and msg_<uin> leftovers, NapCat\'s temp and cache; with --qq-cache QQ\'s own media cache too'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "stats" -d 'Count sends and send timeouts in the bots\' log files (the LLOneBot plugin, LLBot 5.x to 8.x, NapCat), and which timeouts were delivered anyway'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "doctor" -d 'Run every check on each bot (the LLOneBot plugin, LLBot, NapCat) and on QQ\'s media cache: processes, discovery, versions, caches, configs, send timeouts'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "probe" -d 'Ask each account\'s running bot (the LLOneBot plugin, LLBot, NapCat) for its version and status over HTTP'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "schedule" -d 'Run clean unattended from cron, systemd, launchd or Windows Task Scheduler'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c llob-doctor -n "__fish_llob_doctor_needs_command" -f -a "man" -d 'Print the manual page (roff): the tool\'s, or a subcommand\'s (llob-doctor-clean(1))'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand detect" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l min-qq -d 'The minimum QQ version, in any platform\'s form (9.9.15, 3.2.12, 6.9.53, 9.9.16-28788)' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l min-llonebot -d 'The minimum LLOneBot version (3.28 is taken as 3.28.0)' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l login-floor -d 'Tencent\'s login floor, when the built-in one is out of date: a build (34740) or a QQ version (9.9.19-34740, 3.2.17); --min-qq never changes it' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l min-napcat -d 'The minimum NapCat version (none by default)' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand check-versions" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l uin -d 'Only these accounts (QQ numbers); repeatable' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l older-than -d 'Only temp entries and logs older than this (e.g. 7d, 12h, 30m)' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l qq-cache-kinds -d 'Which kinds of QQ\'s cache, comma-separated (implies --qq-cache) [default: all but file] [possible values: pic, video, ptt, file, emoji, temp, log, hot_update]' -r -f -a "pic\t''
video\t''
ptt\t''
file\t''
emoji\t''
temp\t''
log\t''
hot_update\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l stop-timeout -d 'Seconds to wait for QQ to quit [default: 15]' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l stop-cmd -d 'Run this command to stop the bot instead of --stop-qq (e.g. "docker stop llbot")' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l start-cmd -d 'Run this command after cleaning to start the bot again (e.g. "docker start llbot")' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l log-file -d 'Append one JSON line about this run to FILE (for scheduled runs)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -s n -l dry-run -d 'Show what would be removed, and remove nothing'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -s y -l yes -d 'Do not ask; required when not run from a terminal (cron, a pipe)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l logs -d 'Also remove each bot\'s own log files in its logs/ (LLOneBot, LLBot, NapCat)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l database -d 'Also remove LLOneBot\'s or LLBot\'s SQLite message store in database/ (message ids for replies and recalls are lost)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l qq-cache -d 'Also remove QQ\'s own media cache: pictures, videos, voice, received emoji, temp, logs, hot-update zips (files older than 3 days unless --older-than; never databases or settings)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l stop-qq -d 'Ask QQ to quit first, and wait for all its processes to be gone'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l force -d 'Force-kill QQ processes still running after --stop-timeout'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l restart-qq -d 'Start QQ again after cleaning, as it was started before'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l trash -d 'Move to the OS trash instead of deleting'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand clean" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l since -d 'Only from this day (2024-08-01) or this long ago (7d, 12h) on, on the log\'s local clock' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l output -d 'Write the output to FILE atomically (a temporary file, then a rename) instead of stdout' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l prometheus -d 'Print Prometheus metrics (for node_exporter\'s textfile collector) instead of the report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand stats" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l temp-warn -d 'Warn when a bot\'s temp/ is larger than this (e.g. 1GiB, 500M) [default: 1GiB]' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l since -d 'Count send timeouts in the logs of this long ago (7d) or since this day (2024-08-01) [default: 7d]' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l qq-cache-warn -d 'Warn when QQ\'s own media cache is larger than this in all (e.g. 5GiB) [default: 5GiB]' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l output -d 'Write the metrics to FILE atomically (a temporary file, then a rename) instead of stdout' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l log-file -d 'The run log of scheduled cleans to read (default: the one `schedule` writes)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l probe -d 'Also ask each account\'s running bot (LLOneBot, LLBot, NapCat) over HTTP (get_version_info, get_status)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l liveness -d 'Only check that each bot runs and its log does not say it went offline (fast; for a watchdog: exit 0, or 8 when one is down or offline)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l prometheus -d 'Print each bot\'s health as Prometheus metrics (for node_exporter\'s textfile collector)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand doctor" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand probe" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l at -d 'The time of day to run, HH:MM in local time (install)' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l every -d 'How often to run [default: day] [possible values: day, week]' -r -f -a "day\t''
week\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l weekday -d 'The day, with --every week [default: sun] [possible values: mon, tue, wed, thu, fri, sat, sun]' -r -f -a "mon\t''
tue\t''
wed\t''
thu\t''
fri\t''
sat\t''
sun\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l backend -d 'The scheduler [default: schtasks on Windows, launchd on macOS, cron elsewhere] [possible values: cron, systemd, launchd, schtasks]' -r -f -a "cron\t''
systemd\t''
launchd\t''
schtasks\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l log-file -d 'Where each run appends its JSON line [default: clean.log in the user\'s data directory; an instance\'s job: clean-<its name>.log]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l systemd -d 'Use a systemd user timer (same as --backend systemd)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l all -d 'remove: every job of ours, the one for all bots and each instance\'s'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand schedule" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand completions" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l color -d 'When to use colours (NO_COLOR turns them off for auto) [default: auto] [possible values: auto, always, never]' -r -f -a "auto\t''
always\t''
never\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l qq-dir -d 'The QQ install folder (the one holding QQ.exe, qq or QQ.app)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l ll-dir -d 'The LiteLoaderQQNT root folder (holding its package.json)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l profile -d 'The LiteLoaderQQNT profile folder [default: $LITELOADERQQNT_PROFILE, else found]' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l data-dir -d 'The bot\'s data folder itself: <profile>/data/LLOneBot of the plugin, data/ of LLBot or a standalone LLOneBot, or a NapCat work dir' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l llbot-dir -d 'The LLBot / standalone LLOneBot install folder (holding llbot, bin/llbot or llbot.js)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l napcat-dir -d 'NapCat\'s folder (holding napcat.mjs) or its work dir (holding config/; Docker: /app/napcat)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l qq-data -d 'QQ\'s own data folder, holding nt_qq_<hex>/ and global/ (e.g. a Docker volume, or Tencent Files on Windows)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l instance -d 'Only this bot instance: its id as detect shows it (llbot@/srv/bots/a) or its install or data folder; repeat for several' -r
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l platform -d 'Inspect another system\'s layout: paths are read under --fs-root as this platform\'s [possible values: windows, linux, macos]' -r -f -a "windows\t''
linux\t''
macos\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l fs-root -d 'A folder standing for the filesystem root of the system to inspect (e.g. a mounted disk)' -r -F
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l lang -d 'The language of messages: zh or en [default: from LC_ALL, LC_MESSAGES, LANG or the OS] [possible values: en, zh]' -r -f -a "en\t''
zh\t''"
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -s h -l help -d 'Print help'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -l json -d 'Print one JSON document on stdout instead of the human report'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -s q -l quiet -d 'Print errors only'
complete -c llob-doctor -n "__fish_llob_doctor_using_subcommand man" -s v -l verbose -d 'Say more (with detect: every candidate path tried and why it was taken or rejected)'
