<?php
/**
 * ReconcileAcquireLock: take the named lease for a run, or say who holds it. A free lease, or one
 * past its expiry (its run presumably died), is taken; the same run acquiring again renews it.
 * See docs/companion-api.md.
 */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once ROOTDIR . '/includes/zoho_whmcs_reconcile/companion.php';

use WHMCS\Database\Capsule;

$apiresults = zwr_run(function (array $vars) {
    $name = zwr_lock_name($vars);
    $runid = zwr_lock_runid($vars);
    $ttl = zwr_lock_ttl($vars);
    $holder = zwr_lock_label($vars, 'holder');
    $host = zwr_lock_label($vars, 'host');
    $now = time();

    return zwr_lock_transaction(function () use ($name, $runid, $ttl, $holder, $host, $now) {
        $row = zwr_lock_row($name);
        $lease = ['runid' => $runid, 'holder' => $holder, 'host' => $host, 'renewed' => $now, 'expires' => $now + $ttl];
        if ($row === null) {
            Capsule::table(ZWR_LOCK)->insert(array_merge(['name' => $name], $lease, ['acquired' => $now, 'version' => 1]));
            return ['acquired' => true, 'lock' => zwr_lock_view(zwr_lock_row($name)), 'tookover' => null, 'now' => $now];
        }
        $current = (string) $row->runid;
        if ($current === $runid) {
            zwr_lock_swap($row, $lease);
            return ['acquired' => true, 'lock' => zwr_lock_view(zwr_lock_row($name)), 'tookover' => null, 'now' => $now];
        }
        if ($current !== '' && (int) $row->expires > $now) {
            return ['acquired' => false, 'lock' => zwr_lock_view($row), 'tookover' => null, 'now' => $now];
        }
        zwr_lock_swap($row, array_merge($lease, ['acquired' => $now]));
        return ['acquired' => true, 'lock' => zwr_lock_view(zwr_lock_row($name)), 'tookover' => zwr_lock_view($row), 'now' => $now];
    });
});
