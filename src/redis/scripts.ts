// The Lua scripts of the Redis profile store: each runs atomically on the server.

/** How many recent write ids the store hash remembers (see {@link COMPARE_AND_SET_SCRIPT}). @internal */
export const RECENT_WRITE_IDS = 32;

/**
 * Writes the document only if the version is still the one the caller read.
 *
 * KEYS[1] the store hash (`data`, `version`, `writes`); ARGV[1] expected version (`0` when absent),
 * ARGV[2] the new document, ARGV[3] a random write id.
 * Returns `{1, version}` when written (or when this write id was already applied: a command the
 * client re-sent after a reconnect must not be reported as a conflict and applied twice), and
 * `{0, version}` on conflict.
 *
 * @internal
 */
export const COMPARE_AND_SET_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'version') or '0'
local recent = redis.call('HGET', KEYS[1], 'writes') or ''
if string.find(' ' .. recent .. ' ', ' ' .. ARGV[3] .. ' ', 1, true) then return {1, current} end
if current ~= ARGV[1] then return {0, current} end
local ids = {}
for id in string.gmatch(recent, '%S+') do ids[#ids + 1] = id end
ids[#ids + 1] = ARGV[3]
while #ids > ${RECENT_WRITE_IDS} do table.remove(ids, 1) end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'writes', table.concat(ids, ' '))
return {1, tostring(version)}
`;

/**
 * Deletes a lock only if it still holds the caller's token. KEYS[1] lock, ARGV[1] token.
 * Returns 1 when deleted.
 *
 * @internal
 */
export const RELEASE_LOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Extends a lock only if it still holds the caller's token. KEYS[1] lock, ARGV[1] token,
 * ARGV[2] new time to live in ms. Returns 1 when extended, 0 when the lock is gone or not ours.
 *
 * @internal
 */
export const RENEW_LOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
