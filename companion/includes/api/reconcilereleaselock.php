<?php
/** ReconcileReleaseLock: free the lease when `runid` holds it; otherwise say who does. See docs/companion-api.md. */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once ROOTDIR . '/includes/zoho_whmcs_reconcile/companion.php';

$apiresults = zwr_run(function (array $vars) {
    $name = zwr_lock_name($vars);
    $runid = zwr_lock_runid($vars);
    $now = time();

    return zwr_lock_transaction(function () use ($name, $runid, $now) {
        $row = zwr_lock_row($name);
        if ($row === null || (string) $row->runid !== $runid) {
            return ['released' => false, 'lock' => zwr_lock_view($row), 'now' => $now];
        }
        zwr_lock_swap($row, ['runid' => '', 'holder' => '', 'host' => '', 'acquired' => 0, 'renewed' => 0, 'expires' => 0]);
        return ['released' => true, 'lock' => zwr_lock_view($row), 'now' => $now];
    });
});
