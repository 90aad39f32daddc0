<?php
/**
 * zoho-whmcs-reconcile companion: shared code for the custom API actions in includes/api/reconcile*.php.
 *
 * WHMCS's External API cannot read product groups or configurable options, nor update products,
 * groups or options. These actions fill that gap for the reconciler. Contract: docs/companion-api.md.
 *
 * Every write runs in one database transaction and is idempotent by resource key through the
 * ownership ledger table mod_zoho_reconcile_resources.
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

/** A failure that becomes {"result":"error","message":...}; the transaction rolls back. */
class ZwrError extends \Exception
{
}

/** Request parameter (POST first, then GET), or the default. */
function zwr_param($name, $default = null)
{
    if (isset($_POST[$name])) {
        return $_POST[$name];
    }
    if (isset($_GET[$name])) {
        return $_GET[$name];
    }
    return $default;
}

function zwr_int($value, $name)
{
    if (is_int($value)) {
        return $value;
    }
    if (is_string($value) && preg_match('/^-?\d+$/', $value)) {
        return (int) $value;
    }
    throw new ZwrError("Parameter {$name} must be an integer");
}

function zwr_bool($value)
{
    return in_array(strtolower((string) $value), ['1', 'true', 'on', 'yes'], true) ? 1 : 0;
}

function zwr_money($value, $name)
{
    if (!is_string($value) && !is_int($value) && !is_float($value)) {
        throw new ZwrError("Parameter {$name} must be an amount");
    }
    $text = trim((string) $value);
    if (!preg_match('/^-?\d+(\.\d{1,2})?$/', $text)) {
        throw new ZwrError("Parameter {$name} must be an amount with at most 2 decimals");
    }
    return number_format((float) $text, 2, '.', '');
}

function zwr_now()
{
    return date('Y-m-d H:i:s');
}

/** Creates the ledger table on first use (WHMCS has no migration hook for custom API files). */
function zwr_ensure_ledger()
{
    $schema = Capsule::schema();
    if ($schema->hasTable(ZWR_LEDGER)) {
        return;
    }
    $schema->create(ZWR_LEDGER, function ($table) {
        $table->increments('id');
        $table->string('kind', 64);
        $table->string('name', 255);
        $table->unsignedInteger('relid');
        $table->timestamp('created_at')->nullable();
        $table->timestamp('updated_at')->nullable();
        $table->unique(['kind', 'name'], 'kind_name');
        $table->unique(['kind', 'relid'], 'kind_relid');
    });
}

/**
 * Resolve the row a write targets: the given id (adopt/update) or the id recorded for the key
 * (a retried create). Returns null when the caller must create. Conflicts are errors, never guesses.
 */
function zwr_resolve($kind, $name, $id, $table)
{
    $byName = Capsule::table(ZWR_LEDGER)->where('kind', $kind)->where('name', $name)->first();
    if ($id !== null) {
        if (!Capsule::table($table)->where('id', $id)->exists()) {
            throw new ZwrError("{$kind} {$id} not found");
        }
        $byId = Capsule::table(ZWR_LEDGER)->where('kind', $kind)->where('relid', $id)->first();
        if ($byId && $byId->name !== $name) {
            throw new ZwrError("Resource {$kind} {$id} is already owned by {$byId->name}");
        }
        if ($byName && (int) $byName->relid !== (int) $id) {
            throw new ZwrError("Resource {$kind}/{$name} is already recorded for id {$byName->relid}");
        }
        return (int) $id;
    }
    if ($byName) {
        if (Capsule::table($table)->where('id', $byName->relid)->exists()) {
            return (int) $byName->relid;
        }
        // The recorded row was deleted by hand: forget it and create anew.
        Capsule::table(ZWR_LEDGER)->where('id', $byName->id)->delete();
    }
    return null;
}

function zwr_record($kind, $name, $relid)
{
    $now = zwr_now();
    $existing = Capsule::table(ZWR_LEDGER)->where('kind', $kind)->where('name', $name)->first();
    if ($existing) {
        Capsule::table(ZWR_LEDGER)->where('id', $existing->id)->update(['relid' => $relid, 'updated_at' => $now]);
    } else {
        Capsule::table(ZWR_LEDGER)->insert(['kind' => $kind, 'name' => $name, 'relid' => $relid, 'created_at' => $now, 'updated_at' => $now]);
    }
}

/** Replace the tblpricing row of (type, relid) for every currency given: pricing[<currencyid>][<key>]. */
function zwr_write_pricing($type, $relid, $pricing, $label)
{
    if ($pricing === null || $pricing === '') {
        return;
    }
    if (!is_array($pricing)) {
        throw new ZwrError("Parameter {$label} must be an array keyed by currency id");
    }
    foreach ($pricing as $currencyId => $row) {
        $currencyId = zwr_int((string) $currencyId, "{$label} currency");
        if (!Capsule::table('tblcurrencies')->where('id', $currencyId)->exists()) {
            throw new ZwrError("Currency {$currencyId} not found");
        }
        if (!is_array($row)) {
            throw new ZwrError("Parameter {$label}[{$currencyId}] must be an array of prices");
        }
        $values = ['type' => $type, 'currency' => $currencyId, 'relid' => $relid];
        foreach (ZWR_PRICE_KEYS as $key) {
            if (!array_key_exists($key, $row)) {
                throw new ZwrError("Parameter {$label}[{$currencyId}][{$key}] is required");
            }
            $values[$key] = zwr_money($row[$key], "{$label}[{$currencyId}][{$key}]");
        }
        $existing = Capsule::table('tblpricing')->where('type', $type)->where('relid', $relid)->where('currency', $currencyId)->first();
        if ($existing) {
            Capsule::table('tblpricing')->where('id', $existing->id)->update($values);
        } else {
            Capsule::table('tblpricing')->insert($values);
        }
    }
}

function zwr_unique_slug($table, $name, $exceptId)
{
    $base = trim(preg_replace('/[^a-z0-9]+/', '-', strtolower($name)), '-');
    if ($base === '') {
        $base = 'group';
    }
    $slug = $base;
    for ($n = 2; Capsule::table($table)->where('slug', $slug)->where('id', '!=', (int) $exceptId)->exists(); $n++) {
        $slug = "{$base}-{$n}";
    }
    return $slug;
}

/** Run a write action: one transaction, errors become the WHMCS error envelope. */
function zwr_run(callable $write)
{
    try {
        zwr_ensure_ledger();
        return Capsule::connection()->transaction(function () use ($write) {
            return array_merge(['result' => 'success'], $write());
        });
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
