# Sourced by bench/hostile and bench/soak: starts a tktalk server on a port of its own choosing.
#
# start_tktalk LOG COMMAND...: runs COMMAND (a `tktalk --server --listen 127.0.0.1:0 ...` command
# line, possibly behind taskset) in the background, its output going to LOG. Port 0: the server
# picks a free port and names it ("Listening on 127.0.0.1:PORT"); its stderr is read through a pipe
# (LOG.pipe) up to that line, then copied to LOG by a background cat until the server ends. Sets
# server_pid, log_copier (the cat) and port, which stays empty when no such line came within 60 s.
start_tktalk() {
    local log=$1 pipe=$1.pipe line fd
    shift
    mkfifo "$pipe"
    "$@" >"$log" 2>"$pipe" &
    server_pid=$!
    exec {fd}<"$pipe"
    port=
    while IFS= read -r -t 60 line <&"$fd"; do
        echo "$line" >>"$log"
        if [[ $line =~ Listening\ on\ 127\.0\.0\.1:([0-9]+) ]]; then
            port=${BASH_REMATCH[1]}
            break
        fi
    done
    cat <&"$fd" >>"$log" &
    log_copier=$!
    exec {fd}<&-
}
