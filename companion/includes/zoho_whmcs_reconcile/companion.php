<?php
/**
 * zoho-whmcs-reconcile companion: shared code for the custom API actions in includes/api/reconcile*.php.
 *
 * WHMCS's External API cannot read product groups or configurable options, nor update products,
 * groups or options. These actions fill that gap for the reconciler. Contract: docs/companion-api.md.
 *
 * Every write runs in one database transaction and is idempotent by resource key through the
 * ownership ledger table mod_zoho_reconcile_resources. Parameters are checked in a fixed order and
 * every error text is part of the contract: the WHMCS sandbox answers the same requests with the
 * same texts, and a test runs both against the same requests.
 *
 * Database access uses a small subset of WHMCS\Database\Capsule: table()->where()/whereIn()/
 * orderBy()/select(), get()->all(), first(), exists(), insert(), insertGetId(), update(), delete(),
 * and connection()->transaction()/select()/statement().
 */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

use WHMCS\Database\Capsule;

const ZWR_LEDGER = 'mod_zoho_reconcile_resources';
const ZWR_PRICE_KEYS = [
    'msetupfee', 'qsetupfee', 'ssetupfee', 'asetupfee', 'bsetupfee', 'tsetupfee',
    'monthly', 'quarterly', 'semiannually', 'annually', 'biennially', 'triennially',
];
const ZWR_PRODUCT_TYPES = ['hostingaccount', 'reselleraccount', 'server', 'other'];
const ZWR_PAY_TYPES = ['free', 'onetime', 'recurring'];
/** Stored when a new product's request has no type / paytype (AddProduct's defaults). */
const ZWR_DEFAULT_TYPE = 'other';
const ZWR_DEFAULT_PAYTYPE = 'recurring';

const ZWR_ERR_KEY = 'You must supply a resource key';
const ZWR_ERR_GROUP_NAME = 'You must supply a name for the product group';
const ZWR_ERR_CONFIG_GROUP_NAME = 'You must supply a name for the configurable option group';
const ZWR_ERR_SINGLE_CHOICE = 'Quantity and yes/no options need exactly one sub-option';
/** Product upserts answer with AddProduct's own texts. */
const ZWR_ERR_PRODUCT_NAME = 'You must supply a name for the product';
const ZWR_ERR_PRODUCT_GROUP = 'You must supply a valid Product Group ID';
const ZWR_ERR_PRODUCT_TYPE = 'Invalid product type. Must be one of "hostingaccount", "reselleraccount", "server" or "other"';
const ZWR_ERR_PAY_TYPE = 'Invalid pay type. Must be one of "free", "onetime" or "recurring"';

/** A failure that becomes {"result":"error","message":...}; the transaction rolls back. */
class ZwrError extends \Exception
{
}

/** Request variables: the body wins over the query string, like $_REQUEST. */
function zwr_vars()
{
    return $_POST + $_GET;
}

/** A scalar request value, or null when absent or sent as an array. */
function zwr_str($value)
{
    return is_string($value) ? $value : null;
}

/** Trims the characters JavaScript's String.prototype.trim removes, so both implementations agree. */
function zwr_trim($text)
{
    $ws = '[\x{0009}-\x{000D}\x{0020}\x{00A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}]';
    $out = preg_replace('/^' . $ws . '+|' . $ws . '+$/u', '', $text);
    return $out === null ? trim($text) : $out;
}

/** A value quoted for an error text, as JSON (arrays show as {}). */
function zwr_quote($value)
{
    if (is_array($value)) {
        return '{}';
    }
    $flags = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_LINE_TERMINATORS | JSON_INVALID_UTF8_SUBSTITUTE;
    return json_encode($value, $flags);
}

function zwr_require_key(array $vars)
{
    $key = zwr_str($vars['key'] ?? null) ?? '';
    if ($key === '') {
        throw new ZwrError(ZWR_ERR_KEY);
    }
    return $key;
}

/** `id`: a row to update or adopt; absent or empty means "look the key up". */
function zwr_optional_id(array $vars)
{
    $raw = zwr_str($vars['id'] ?? null);
    if ($raw === null || $raw === '') {
        return null;
    }
    if (!preg_match('/^[1-9][0-9]*$/D', $raw)) {
        throw new ZwrError('Invalid id ' . zwr_quote($raw) . ': expected a positive integer');
    }
    return (int) $raw;
}

function zwr_int_param($value, $name, $fallback)
{
    if ($value === null) {
        return $fallback;
    }
    $text = is_string($value) ? zwr_trim($value) : null;
    if ($text === null || !preg_match('/^-?[0-9]+$/D', $text)) {
        throw new ZwrError("Invalid value for {$name}: expected an integer");
    }
    return (int) $text;
}

function zwr_flag_param($value, $name, $fallback)
{
    if ($value === null) {
        return $fallback;
    }
    if (!is_string($value)) {
        throw new ZwrError("Invalid value for {$name}: expected a boolean (1/0)");
    }
    $word = strtolower(zwr_trim($value));
    if (in_array($word, ['1', 'true', 'on', 'yes'], true)) {
        return true;
    }
    if (in_array($word, ['0', 'false', 'off', 'no', ''], true)) {
        return false;
    }
    throw new ZwrError("Invalid value for {$name}: expected a boolean (1/0/true/false/on/off)");
}

/** "10", "10.5", "010.50" → "10.00", "10.50", "10.50"; null when not an amount with at most 2 decimals. */
function zwr_money($raw)
{
    if (!is_string($raw) || !preg_match('/^(-?)([0-9]+)(?:\.([0-9]{1,2}))?$/D', zwr_trim($raw), $m)) {
        return null;
    }
    $whole = ltrim($m[2], '0');
    $whole = $whole === '' ? '0' : $whole;
    $frac = str_pad($m[3] ?? '', 2, '0');
    if ($whole === '0' && $frac === '00') {
        return '0.00';
    }
    return $m[1] . $whole . '.' . $frac;
}

/**
 * pricing[<currencyid>][<key>] with all twelve keys per currency. Returns [[currencyId, prices], …]
 * in request order; nothing is written here.
 */
function zwr_pricing_param($value, $name, array $currencyIds)
{
    if ($value === null || $value === '') {
        return [];
    }
    if (!is_array($value)) {
        throw new ZwrError("Invalid value for {$name}: expected pricing[<currencyid>][<key>]");
    }
    $out = [];
    foreach ($value as $currencyKey => $perCurrency) {
        $currencyKey = (string) $currencyKey;
        $currency = preg_match('/^[1-9][0-9]*$/D', $currencyKey) ? (int) $currencyKey : null;
        if ($currency === null || !in_array($currency, $currencyIds, true)) {
            throw new ZwrError("Invalid currency ID {$currencyKey} in {$name}");
        }
        if (!is_array($perCurrency)) {
            throw new ZwrError("Invalid value for {$name}[{$currencyKey}]: expected the twelve price keys");
        }
        $prices = [];
        $missing = [];
        foreach (ZWR_PRICE_KEYS as $key) {
            if (!array_key_exists($key, $perCurrency)) {
                $missing[] = $key;
                continue;
            }
            $money = zwr_money($perCurrency[$key]);
            if ($money === null) {
                throw new ZwrError("Invalid price for {$name}[{$currencyKey}][{$key}]: " . zwr_quote($perCurrency[$key]));
            }
            $prices[$key] = $money;
        }
        if ($missing) {
            throw new ZwrError("Pricing for currency {$currencyKey} in {$name} must include all twelve price keys (missing " . implode(', ', $missing) . ')');
        }
        $out[] = [$currency, $prices];
    }
    return $out;
}

function zwr_now()
{
    return date('Y-m-d H:i:s');
}

/** Creates the ledger table on first use (WHMCS has no migration hook for custom API files). */
function zwr_ensure_ledger()
{
    $found = Capsule::connection()->select(
        'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
        [ZWR_LEDGER]
    );
    if ($found && (int) $found[0]->n > 0) {
        return;
    }
    // DDL commits implicitly in MySQL, so this never runs inside a write's transaction.
    Capsule::connection()->statement(
        'CREATE TABLE IF NOT EXISTS `' . ZWR_LEDGER . '` ('
        . '`id` int(10) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, '
        . '`kind` varchar(64) NOT NULL, `name` varchar(255) NOT NULL, `relid` int(10) unsigned NOT NULL, '
        . '`created_at` timestamp NULL DEFAULT NULL, `updated_at` timestamp NULL DEFAULT NULL, '
        . 'UNIQUE KEY `kind_name` (`kind`, `name`), UNIQUE KEY `kind_relid` (`kind`, `relid`)'
        . ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci'
    );
}

/**
 * A full row for an insert: every NOT NULL column without a default gets the value MySQL's
 * non-strict mode would give it, so inserts work under strict sql_mode too. Columns this WHMCS
 * version does not have (`slug` before 8.3) are left out.
 */
function zwr_complete_row($table, array $values)
{
    static $columns = [];
    if (!isset($columns[$table])) {
        $columns[$table] = Capsule::connection()->select(
            'SELECT COLUMN_NAME, IS_NULLABLE, COLUMN_DEFAULT, DATA_TYPE, COLUMN_TYPE, EXTRA FROM information_schema.COLUMNS '
            . 'WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
            [$table]
        );
    }
    $row = [];
    $known = [];
    foreach ($columns[$table] as $c) {
        $name = $c->COLUMN_NAME;
        $known[$name] = true;
        if (array_key_exists($name, $values)) {
            $row[$name] = $values[$name];
        } elseif ($c->IS_NULLABLE === 'NO' && $c->COLUMN_DEFAULT === null && stripos($c->EXTRA, 'auto_increment') === false) {
            $row[$name] = zwr_implicit_default($c->DATA_TYPE, $c->COLUMN_TYPE);
        }
    }
    return $known ? $row : $values;
}

function zwr_implicit_default($dataType, $columnType)
{
    $type = strtolower($dataType);
    if (in_array($type, ['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'float', 'double', 'bit', 'year'], true)) {
        return 0;
    }
    if ($type === 'date') {
        return '0000-00-00';
    }
    if ($type === 'datetime' || $type === 'timestamp') {
        return '0000-00-00 00:00:00';
    }
    if ($type === 'time') {
        return '00:00:00';
    }
    if ($type === 'enum' && preg_match("/^enum\\('((?:[^']|'')*)'/i", $columnType, $m)) {
        return str_replace("''", "'", $m[1]);
    }
    return '';
}

/** The stable key of an option or sub-option name: left of the first `|`, else the whole name. */
function zwr_option_key($optionname)
{
    $bar = strpos($optionname, '|');
    return $bar === false ? $optionname : substr($optionname, 0, $bar);
}

/** A URL slug: ASCII letters and digits joined by single hyphens (accents dropped when intl is loaded). */
function zwr_slugify($name, $fallback)
{
    if (class_exists('Normalizer')) {
        $decomposed = \Normalizer::normalize($name, \Normalizer::FORM_KD);
        if (is_string($decomposed)) {
            $name = preg_replace('/[\x{0300}-\x{036f}]/u', '', $decomposed) ?? $name;
        }
    }
    $slug = trim(preg_replace('/[^a-z0-9]+/', '-', strtolower($name)), '-');
    return $slug === '' ? $fallback : substr($slug, 0, 120);
}

/** `base`, or `base-2`, `base-3`, …: the first slug no row of the table uses. */
function zwr_unique_slug($table, $base)
{
    for ($n = 1; ; $n++) {
        $candidate = $n === 1 ? $base : "{$base}-{$n}";
        if (!Capsule::table($table)->where('slug', $candidate)->exists()) {
            return $candidate;
        }
    }
}

function zwr_currency_ids()
{
    $ids = [];
    foreach (Capsule::table('tblcurrencies')->select('id')->orderBy('id')->get()->all() as $row) {
        $ids[] = (int) $row->id;
    }
    return $ids;
}

/**
 * Which row an upsert writes to. With `id`: that row, after checking it exists and that the
 * ledger records neither this id under another name nor this key for another id. Without `id`:
 * the row recorded for the key, or null (create). A recorded row that no longer exists is
 * created anew and the ledger entry repointed.
 */
function zwr_resolve($kind, $table, $key, $id)
{
    $byName = Capsule::table(ZWR_LEDGER)->where('kind', $kind)->where('name', $key)->orderBy('id')->first();
    if ($id !== null) {
        if (!Capsule::table($table)->where('id', $id)->exists()) {
            throw new ZwrError("Resource {$kind} {$id} does not exist");
        }
        $byRelid = Capsule::table(ZWR_LEDGER)->where('kind', $kind)->where('relid', $id)->orderBy('id')->first();
        if ($byRelid !== null && (string) $byRelid->name !== $key) {
            throw new ZwrError("Resource {$kind} {$id} is already owned by {$byRelid->name}");
        }
        if ($byName !== null && (int) $byName->relid !== $id) {
            throw new ZwrError("Resource {$kind}/{$key} is already recorded for id " . (int) $byName->relid);
        }
        return $id;
    }
    if ($byName === null) {
        return null;
    }
    $recorded = (int) $byName->relid;
    return Capsule::table($table)->where('id', $recorded)->exists() ? $recorded : null;
}

/** Record (or confirm) that resource `key` of `kind` owns row `relid`. */
function zwr_record($kind, $key, $relid)
{
    $now = zwr_now();
    $existing = Capsule::table(ZWR_LEDGER)->where('kind', $kind)->where('name', $key)->orderBy('id')->first();
    if ($existing === null) {
        Capsule::table(ZWR_LEDGER)->insert(zwr_complete_row(ZWR_LEDGER, ['kind' => $kind, 'name' => $key, 'relid' => $relid, 'created_at' => $now, 'updated_at' => $now]));
    } else {
        Capsule::table(ZWR_LEDGER)->where('id', (int) $existing->id)->update(['relid' => $relid, 'updated_at' => $now]);
    }
}

/** One tblpricing row per (type, relid, currency): updated when it exists (duplicates removed), inserted otherwise. */
function zwr_replace_pricing($type, $relid, $currency, array $prices)
{
    $rows = Capsule::table('tblpricing')->select('id')->where('type', $type)->where('relid', $relid)->where('currency', $currency)->orderBy('id')->get()->all();
    if (!$rows) {
        Capsule::table('tblpricing')->insert(zwr_complete_row('tblpricing', array_merge(['type' => $type, 'relid' => $relid, 'currency' => $currency], $prices)));
        return;
    }
    $first = array_shift($rows);
    Capsule::table('tblpricing')->where('id', (int) $first->id)->update($prices);
    if ($rows) {
        Capsule::table('tblpricing')->whereIn('id', array_map(function ($r) {
            return (int) $r->id;
        }, $rows))->delete();
    }
}

/** Runs a write in one transaction. */
function zwr_transaction(callable $write)
{
    return Capsule::connection()->transaction(function () use ($write) {
        return $write();
    });
}

/**
 * Runs an action: errors become the WHMCS error envelope. A database failure mid-write rolls the
 * transaction back, so the message can promise that nothing changed.
 */
function zwr_run(callable $action)
{
    try {
        zwr_ensure_ledger();
        return array_merge(['result' => 'success'], $action(zwr_vars()));
    } catch (ZwrError $e) {
        return ['result' => 'error', 'message' => $e->getMessage()];
    } catch (\Throwable $e) {
        return ['result' => 'error', 'message' => 'Database error; nothing was changed: ' . $e->getMessage()];
    }
}

function zwr_rows($query)
{
    return array_map(function ($row) {
        return (array) $row;
    }, $query->get()->all());
}

/** The choices of options[<i>]: checked, in request order; prices are checked when written. */
function zwr_read_choices($raw, $optionWhere)
{
    if ($raw === null || $raw === '') {
        return [];
    }
    if (!is_array($raw)) {
        throw new ZwrError("Invalid value for {$optionWhere}[choices]");
    }
    $out = [];
    foreach ($raw as $index => $entry) {
        $where = "{$optionWhere}[choices][{$index}]";
        if (!is_array($entry)) {
            throw new ZwrError("Invalid value for {$where}");
        }
        $key = zwr_str($entry['key'] ?? null) ?? '';
        if (strpos($key, '|') !== false) {
            throw new ZwrError("{$where}[key] must not contain \"|\"");
        }
        foreach ($out as $seen) {
            if ($seen['key'] === $key) {
                throw new ZwrError('Duplicate choice key ' . zwr_quote($key) . " in {$optionWhere}");
            }
        }
        $out[] = [
            'key' => $key,
            'label' => zwr_str($entry['label'] ?? null) ?? '',
            'order' => zwr_int_param($entry['order'] ?? null, "{$where}[order]", count($out)),
            'hidden' => zwr_flag_param($entry['hidden'] ?? null, "{$where}[hidden]", false),
            'pricing' => $entry['pricing'] ?? null,
            'where' => $where,
        ];
    }
    return $out;
}

/** Writes the sub-options of one option and their prices; unmatched existing ones are hidden. */
function zwr_upsert_choices($optionId, array $option, array $currencyIds)
{
    $existing = Capsule::table('tblproductconfigoptionssub')->where('configid', $optionId)->orderBy('sortorder')->orderBy('id')->get()->all();
    $single = $option['type'] === '3' || $option['type'] === '4';
    $matched = [];
    $out = [];
    foreach ($option['choices'] as $choice) {
        $pricing = zwr_pricing_param($choice['pricing'], "{$choice['where']}[pricing]", $currencyIds);
        $row = null;
        $firstFree = null;
        foreach ($existing as $candidate) {
            if (isset($matched[(int) $candidate->id])) {
                continue;
            }
            $firstFree = $firstFree ?? $candidate;
            if (zwr_option_key((string) $candidate->optionname) === $choice['key']) {
                $row = $candidate;
                break;
            }
        }
        if ($row === null && $single) {
            $row = $firstFree;
        }
        $fields = [
            'optionname' => $choice['key'] === '' ? $choice['label'] : $choice['key'] . '|' . $choice['label'],
            'sortorder' => $choice['order'],
            'hidden' => $choice['hidden'] ? 1 : 0,
        ];
        if ($row === null) {
            $subId = (int) Capsule::table('tblproductconfigoptionssub')->insertGetId(zwr_complete_row('tblproductconfigoptionssub', array_merge(['configid' => $optionId], $fields)));
        } else {
            $subId = (int) $row->id;
            $matched[$subId] = true;
            Capsule::table('tblproductconfigoptionssub')->where('id', $subId)->update($fields);
        }
        foreach ($pricing as [$currency, $prices]) {
            zwr_replace_pricing('configoptions', $subId, $currency, $prices);
        }
        $out[] = ['key' => $choice['key'], 'id' => $subId];
    }
    foreach ($existing as $row) {
        if (!isset($matched[(int) $row->id])) {
            Capsule::table('tblproductconfigoptionssub')->where('id', (int) $row->id)->update(['hidden' => 1]);
        }
    }
    return $out;
}

/** `customfields[]=<name>`: the product custom fields to ensure, trimmed, without repeats; null when absent. */
function zwr_custom_field_names($raw)
{
    if ($raw === null) {
        return null;
    }
    if ($raw === '') {
        return [];
    }
    $names = [];
    foreach (is_array($raw) ? $raw : [$raw] as $value) {
        $name = is_string($value) ? zwr_trim($value) : '';
        if ($name === '') {
            throw new ZwrError('Invalid custom field name ' . zwr_quote($value) . ': expected a non-empty name');
        }
        if (!in_array($name, $names, true)) {
            $names[] = $name;
        }
    }
    return $names;
}

/**
 * Adds each named product custom field the product lacks: admin-only text, not on the order form.
 * Fields already there are left alone and none is deleted (services keep values in them).
 */
function zwr_ensure_custom_fields($productId, array $names)
{
    if (!$names) {
        return;
    }
    $have = [];
    $next = 0;
    foreach (Capsule::table('tblcustomfields')->where('type', 'product')->where('relid', $productId)->orderBy('id')->get()->all() as $field) {
        $have[(string) $field->fieldname] = true;
        $next = max($next, (int) $field->sortorder + 1);
    }
    $now = zwr_now();
    foreach ($names as $name) {
        if (isset($have[$name])) {
            continue;
        }
        Capsule::table('tblcustomfields')->insert(zwr_complete_row('tblcustomfields', [
            'type' => 'product',
            'relid' => $productId,
            'fieldname' => $name,
            'fieldtype' => 'text',
            'description' => '',
            'fieldoptions' => '',
            'regexpr' => '',
            'adminonly' => 'on',
            'required' => '',
            'showorder' => '',
            'showinvoice' => '',
            'sortorder' => $next++,
            'created_at' => $now,
            'updated_at' => $now,
        ]));
    }
}

/*
 * The apply lock (docs/companion-api.md, "Apply lock"): one row per lock name holding a lease
 * (run id, holder, host, acquired, renewed, expires; Unix seconds of this server's clock). Every
 * change is a compare-and-set on `version` inside one transaction, so two reconcilers racing for
 * a free or expired lease cannot both win. A lease in a row, not GET_LOCK(): a named lock dies
 * with its connection, and each API call is its own connection.
 */
const ZWR_LOCK = 'mod_zoho_reconcile_lock';
const ZWR_LOCK_MAX_TTL = 86400;

/** The row changed between the read and the compare-and-set: the transaction runs again. */
class ZwrLockRace extends \Exception
{
}

/** Creates the lock table on first use, outside any transaction (DDL commits implicitly). */
function zwr_ensure_lock_table()
{
    $found = Capsule::connection()->select(
        'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
        [ZWR_LOCK]
    );
    if ($found && (int) $found[0]->n > 0) {
        return;
    }
    Capsule::connection()->statement(
        'CREATE TABLE IF NOT EXISTS `' . ZWR_LOCK . '` ('
        . "`name` varchar(64) NOT NULL, `runid` varchar(64) NOT NULL DEFAULT '', "
        . "`holder` varchar(255) NOT NULL DEFAULT '', `host` varchar(255) NOT NULL DEFAULT '', "
        . "`acquired` int(10) unsigned NOT NULL DEFAULT '0', `renewed` int(10) unsigned NOT NULL DEFAULT '0', "
        . "`expires` int(10) unsigned NOT NULL DEFAULT '0', `version` int(10) unsigned NOT NULL DEFAULT '0', "
        . 'PRIMARY KEY (`name`)'
        . ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci'
    );
}

function zwr_lock_name(array $vars)
{
    $name = zwr_str($vars['name'] ?? null) ?? '';
    if ($name === '') {
        throw new ZwrError('You must supply a lock name');
    }
    if (!preg_match('~^[A-Za-z0-9:/._-]{1,64}$~D', $name)) {
        throw new ZwrError('Invalid lock name ' . zwr_quote($name));
    }
    return $name;
}

function zwr_lock_runid(array $vars)
{
    $id = zwr_str($vars['runid'] ?? null) ?? '';
    if ($id === '') {
        throw new ZwrError('You must supply a run id');
    }
    if (!preg_match('/^[A-Za-z0-9._:-]{1,64}$/D', $id)) {
        throw new ZwrError('Invalid run id ' . zwr_quote($id));
    }
    return $id;
}

function zwr_lock_ttl(array $vars)
{
    $raw = $vars['ttl'] ?? null;
    $text = is_string($raw) ? zwr_trim($raw) : null;
    if ($text === null || !preg_match('/^-?[0-9]+$/D', $text)) {
        throw new ZwrError('Invalid value for ttl: expected an integer');
    }
    $ttl = (int) $text;
    if ($ttl < 1 || $ttl > ZWR_LOCK_MAX_TTL) {
        throw new ZwrError('Invalid value for ttl: expected 1 to ' . ZWR_LOCK_MAX_TTL . ' seconds');
    }
    return $ttl;
}

/** `holder` / `host`: free text for people, at most 255 characters. */
function zwr_lock_label(array $vars, $name)
{
    if (!array_key_exists($name, $vars)) {
        return '';
    }
    $value = $vars[$name];
    if (!is_string($value) || preg_match('/^.{0,255}$/suD', $value) !== 1) {
        throw new ZwrError("Invalid value for {$name}: expected at most 255 characters");
    }
    return $value;
}

/** The lease as the actions answer it; null when the row holds none. */
function zwr_lock_view($row)
{
    if ($row === null || (string) $row->runid === '') {
        return null;
    }
    return [
        'name' => (string) $row->name,
        'runid' => (string) $row->runid,
        'holder' => (string) $row->holder,
        'host' => (string) $row->host,
        'acquired' => (int) $row->acquired,
        'renewed' => (int) $row->renewed,
        'expires' => (int) $row->expires,
    ];
}

function zwr_lock_row($name)
{
    return Capsule::table(ZWR_LOCK)->where('name', $name)->first();
}

/** UPDATE … WHERE name AND version: the compare-and-set every change goes through. */
function zwr_lock_swap($row, array $patch)
{
    $version = (int) $row->version;
    $patch['version'] = $version + 1;
    // `version` always changes, so the count is 1 whether the driver counts matched or changed rows.
    $changed = Capsule::table(ZWR_LOCK)->where('name', (string) $row->name)->where('version', $version)->update($patch);
    if ((int) $changed !== 1) {
        throw new ZwrLockRace();
    }
}

/**
 * Runs one lock change in a transaction, again when another caller won a race: a concurrent first
 * insert (duplicate key, SQLSTATE 23000), a deadlock (40001) or a compare-and-set that matched nothing.
 */
function zwr_lock_transaction(callable $change)
{
    zwr_ensure_lock_table();
    for ($attempt = 1; ; $attempt++) {
        try {
            return zwr_transaction($change);
        } catch (ZwrLockRace $e) {
            if ($attempt >= 5) {
                throw new \RuntimeException('the lock row kept changing');
            }
        } catch (\PDOException $e) {
            if ($attempt >= 5 || !in_array((string) $e->getCode(), ['23000', '40001'], true)) {
                throw $e;
            }
        }
    }
}
