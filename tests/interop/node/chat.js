'use strict';
// A chat client built on irc-framework, driven line by line for the interoperability tests.
//   node chat.js PORT NICK      (trust the server's certificate through NODE_EXTRA_CA_CERTS)
// stdin takes "/msg TARGET TEXT", "/names CHANNEL", "/mode CHANNEL MODES [ARGS]", "/nick NICK" and
// "/quit REASON"; stdout shows what the library reports, one event per line.
const IRC = require('irc-framework');
const readline = require('readline');

const [port, nick] = process.argv.slice(2);
const client = new IRC.Client();
const show = (...parts) => process.stdout.write(parts.join(' ') + '\n');

client.on('registered', (e) => show('registered', e.nick));
client.on('join', (e) => show('join', e.channel, e.nick));
client.on('privmsg', (e) => show('privmsg', e.nick, e.target, e.message));
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
});

readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, first, ...rest] = line.split(' ');
    if (command === '/msg') client.say(first, rest.join(' '));
    else if (command === '/names') client.raw('NAMES', first);
    else if (command === '/nick') client.changeNick(first);
    else if (command === '/mode') client.raw('MODE', first, ...rest);
    else if (command === '/quit') client.quit([first, ...rest].join(' '));
    else show('unknown-command', line);
});
