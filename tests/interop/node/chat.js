'use strict';
// A chat client built on irc-framework, driven line by line for the interoperability tests.
//   node chat.js PORT NICK [OPTION...]   (trust the server's certificate through NODE_EXTRA_CA_CERTS)
// options: "cap=NAME" asks for one more capability, "account=NAME:PASSWORD" logs in with SASL.
// stdin takes "/msg TARGET TEXT", "/names CHANNEL", "/mode CHANNEL MODES [ARGS]", "/nick NICK",
// "/raw LINE" and "/quit REASON"; stdout shows what the library reports, one event per line: a
// message inside a batch as "batched ID NICK TARGET msgid=ID time=ISO TEXT", with the time as the
// library parsed it.
const IRC = require('irc-framework');
const readline = require('readline');

const [port, nick, ...options] = process.argv.slice(2);
const option = (name) => options.filter((o) => o.startsWith(name + '=')).map((o) => o.slice(name.length + 1));
const client = new IRC.Client();
option('cap').forEach((cap) => client.requestCap(cap));
const [account] = option('account').map((a) => ({ account: a.split(':')[0], password: a.split(':').slice(1).join(':') }));
const show = (...parts) => process.stdout.write(parts.join(' ') + '\n');

client.on('registered', (e) => show('registered', e.nick));
client.on('join', (e) => show('join', e.channel, e.nick));
client.on('loggedin', (e) => show('loggedin', e.account));
client.on('privmsg', (e) => {
    if (e.batch)
        show('batched', e.batch.id, e.nick, e.target, 'msgid=' + e.tags.msgid, 'time=' + (e.time ? new Date(e.time).toISOString() : ''), e.message);
    else
        show('privmsg', e.nick, e.target, e.message);
});
client.on('batch start', (e) => show('batch-start', e.id, e.type, ...e.params));
client.on('batch end', (e) => show('batch-end', e.id, e.type));
client.on('unknown command', (c) => show('unknown', c.command, ...c.params));
client.on('userlist', (e) => show('userlist', e.channel, e.users.map((u) => u.nick).join(' ')));
client.on('nick', (e) => show('nick', e.nick, e.new_nick));
client.on('mode', (e) => show('mode', e.target, e.nick, e.raw_modes, ...e.raw_params));
client.on('quit', (e) => show('quit', e.nick, e.message));
client.on('irc error', (e) => show('irc-error', JSON.stringify(e)));
client.on('socket close', (error) => show('socket-close', error ? String(error) : ''));
client.on('close', () => {
    show('close');
    process.exit(0);
});

client.connect({
    host: '127.0.0.1',
    port: Number(port),
    tls: true,
    rejectUnauthorized: true,
    nick,
    username: nick,
    gecos: 'irc-framework test',
    auto_reconnect: false,
    account,
});

readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, first, ...rest] = line.split(' ');
    if (command === '/msg') client.say(first, rest.join(' '));
    else if (command === '/names') client.raw('NAMES', first);
    else if (command === '/nick') client.changeNick(first);
    else if (command === '/mode') client.raw('MODE', first, ...rest);
    else if (command === '/raw') client.raw([first, ...rest].join(' '));
    else if (command === '/quit') client.quit([first, ...rest].join(' '));
    else show('unknown-command', line);
});
