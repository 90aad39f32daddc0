<?php
/** ReconcileRenewLock: extend the run's lease by `ttl` seconds from now; nothing when another run holds it. See docs/companion-api.md. */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once ROOTDIR . '/includes/zoho_whmcs_reconcile/companion.php';

$apiresults = zwr_run(function (array $vars) {
    $name = zwr_lock_name($vars);
    $runid = zwr_lock_runid($vars);
    $ttl = zwr_lock_ttl($vars);
    $now = time();

    return zwr_lock_transaction(function () use ($name, $runid, $ttl, $now) {
        $row = zwr_lock_row($name);
        if ($row === null || (string) $row->runid !== $runid) {
            return ['renewed' => false, 'lock' => zwr_lock_view($row), 'now' => $now];
        }
        zwr_lock_swap($row, ['renewed' => $now, 'expires' => $now + $ttl]);
        return ['renewed' => true, 'lock' => zwr_lock_view(zwr_lock_row($name)), 'now' => $now];
    });
});
