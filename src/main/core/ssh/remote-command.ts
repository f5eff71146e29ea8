// THE quoting module: every command that runs on a unit is built here from argument arrays and
// nothing else. An SSH exec request carries one string that the unit's login shell (bash on
// Raspberry Pi OS, dash for `sh -c`) parses; each argument is single-quoted so that shell sees it as
// one literal word. Nothing here accepts a raw command string, so data can never become syntax.
import { EdgeError } from '../../../shared/errors'

const BRAND: unique symbol = Symbol('RemoteCommand')

/** A command line built by this module; other code cannot make one from a string. */
export interface RemoteCommand {
  readonly [BRAND]: true
  /** The wire string for the exec request (for the SSH session, and for logs). */
  readonly line: string
  /** Set when the command is one simple command: sudo and env wrap it without a sub-shell. */
  readonly argv: readonly string[] | null
}

function make(line: string, argv: readonly string[] | null): RemoteCommand {
  return Object.freeze({ [BRAND]: true as const, line, argv: argv ? Object.freeze([...argv]) : null })
}

export function isRemoteCommand(value: unknown): value is RemoteCommand {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
}

// Words that read the same quoted or not; kept bare so logs stay legible. `=` is left out on purpose:
// a bare first word `A=B` would be an assignment, not a command; `%` is left out too: bash reads a
// bare `%1` as a job.
const PLAIN = /^[A-Za-z0-9_@+:,./-]+$/
// In `u` mode a proper surrogate pair is one code point, so only unpaired halves match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/**
 * One argument as one shell word. A NUL cannot be passed in an argv (C strings end there) and a
 * lone UTF-16 surrogate cannot be encoded as UTF-8, so neither could arrive as sent: refused.
 */
export function quoteArg(arg: string, index = 0): string {
  if (typeof arg !== 'string') throw new EdgeError('INVALID_INPUT', `argument ${index + 1} of a remote command is not text`)
  if (arg.includes('\0')) throw new EdgeError('INVALID_INPUT', `argument ${index + 1} of a remote command contains a NUL byte`)
  if (LONE_SURROGATE.test(arg)) throw new EdgeError('INVALID_INPUT', `argument ${index + 1} of a remote command is not valid Unicode`)
  if (PLAIN.test(arg)) return arg
  // Inside single quotes every byte is literal; a quote is closed, escaped, reopened: ' -> '\''
  return `'${arg.replaceAll("'", `'\\''`)}'`
}

/** One simple command: `cmd(['sudo', 'hostnamectl', 'set-hostname', name])`. */
export function cmd(argv: readonly string[]): RemoteCommand {
  if (!Array.isArray(argv) || argv.length === 0) throw new EdgeError('INVALID_INPUT', 'a remote command needs at least a program name')
  if (argv[0] === '') throw new EdgeError('INVALID_INPUT', 'a remote command needs a program name')
  const words = argv.map((a, i) => quoteArg(a, i))
  // A bare reserved word in command position is shell syntax (`time` is bash's keyword, not
  // /usr/bin/time); quoted, it is looked up as a program like any other name.
  if (RESERVED.has(argv[0] as string)) words[0] = `'${argv[0]}'`
  return make(words.join(' '), argv)
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'while', 'until', 'do', 'done', 'in', 'function', 'select', 'time', 'coproc'])

type Part = RemoteCommand | readonly string[]
const part = (p: Part): RemoteCommand => (isRemoteCommand(p) ? p : cmd(p))
// Compound commands are grouped so that `a | b && c` built from parts keeps the parts' meaning.
const group = (c: RemoteCommand): string => (c.argv ? c.line : `{ ${c.line}; }`)

/** `a | b | c`: the exit status is the last command's (POSIX sh has no pipefail). */
export function pipeline(...parts: Part[]): RemoteCommand {
  if (parts.length < 2) throw new EdgeError('INVALID_INPUT', 'a pipeline needs at least two commands')
  return make(parts.map((p) => group(part(p))).join(' | '), null)
}

/** `a && b && c`: stops at the first failure, whose status is returned. */
export function and(...parts: Part[]): RemoteCommand {
  if (parts.length < 1) throw new EdgeError('INVALID_INPUT', 'nothing to run')
  return parts.length === 1 ? part(parts[0] as Part) : make(parts.map((p) => group(part(p))).join(' && '), null)
}

/** `a || b`: runs `b` only when `a` failed. */
export function or(...parts: Part[]): RemoteCommand {
  if (parts.length < 2) throw new EdgeError('INVALID_INPUT', '"or" needs at least two commands')
  return make(parts.map((p) => group(part(p))).join(' || '), null)
}

/** `a; b; c`: runs each whatever the others did; the status is the last one's. */
export function seq(...parts: Part[]): RemoteCommand {
  if (parts.length < 1) throw new EdgeError('INVALID_INPUT', 'nothing to run')
  return parts.length === 1 ? part(parts[0] as Part) : make(parts.map((p) => group(part(p))).join('; '), null)
}

export interface Redirections {
  /** stdin from this file. */
  stdin?: string
  /** stdout to this file (truncated, or appended with `append`). */
  stdout?: string
  append?: boolean
  /** stderr to a file, to stdout (`'stdout'`), or discarded (`'null'`). */
  stderr?: string | { to: 'stdout' } | { to: 'null' }
}

/** Redirections with quoted file names: `redirect(cmd(['cat']), { stdout: path })`. */
export function redirect(p: Part, r: Redirections): RemoteCommand {
  const c = part(p)
  const out: string[] = [group(c)]
  if (r.stdin !== undefined) out.push(`< ${quoteArg(r.stdin)}`)
  if (r.stdout !== undefined) out.push(`${r.append ? '>>' : '>'} ${quoteArg(r.stdout)}`)
  if (typeof r.stderr === 'string') out.push(`2> ${quoteArg(r.stderr)}`)
  else if (r.stderr?.to === 'stdout') out.push('2>&1')
  else if (r.stderr?.to === 'null') out.push('2>/dev/null')
  return make(out.join(' '), null)
}

/** `sh -c '<line>'`: a compound command as one simple command (for sudo, env, timeout). */
export function shC(p: Part): RemoteCommand {
  return cmd(['sh', '-c', part(p).line])
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Environment variables for one command, through env(1) so it also works under sudo. */
export function withEnv(vars: Readonly<Record<string, string>>, p: Part): RemoteCommand {
  const c = part(p)
  const assignments = Object.entries(vars).map(([name, value]) => {
    if (!ENV_NAME.test(name)) throw new EdgeError('INVALID_INPUT', `"${name}" is not a valid environment variable name`)
    return `${name}=${value}`
  })
  const argv = c.argv ?? ['sh', '-c', c.line]
  return cmd(['env', ...assignments, ...argv])
}

/**
 * Root through `sudo -n`: never prompts (a prompt would hang the job waiting on a password EdgeDock
 * never sends); a unit without passwordless sudo fails at once with sudo's own message.
 */
export function sudo(p: Part): RemoteCommand {
  const c = part(p)
  return cmd(['sudo', '-n', '--', ...(c.argv ?? ['sh', '-c', c.line])])
}

/** How a command reads to a person (job log); the same string the unit gets. */
export function displayCommand(p: Part): string {
  return part(p).line
}
