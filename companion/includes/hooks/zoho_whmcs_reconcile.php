<?php
/**
 * zoho-whmcs-reconcile companion: registers the custom API actions in WHMCS's API catalog so they
 * can be ticked in an API role (Setup → Staff Management → Manage API Credentials → API Roles).
 * Since WHMCS 7.4 an action that is in no role answers "Invalid Permissions".
 */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

add_hook('AdminAreaPage', 1, function ($vars) {
    $catalog = '\\WHMCS\\Api\\V1\\Catalog';
    if (!class_exists($catalog)) {
        return;
    }
    try {
        $group = 'zohoWhmcsReconcile';
        if (!array_key_exists($group, $catalog::get()->getGroups())) {
            $catalog::add([], [$group => ['name' => 'Zoho WHMCS Reconcile']]);
        }
        $known = $catalog::get()->getActions();
        foreach (['reconcilegetcatalog', 'reconcileupsertproductgroup', 'reconcileupsertproduct', 'reconcileupsertconfiggroup', 'reconcileacquirelock', 'reconcilerenewlock', 'reconcilereleaselock'] as $action) {
            if (!array_key_exists($action, $known)) {
                $catalog::add([$action => ['group' => $group, 'name' => $action, 'default' => 0]]);
            }
        }
    } catch (\Throwable $e) {
        // Never break the admin area over a catalog registration; the README documents the manual role edit.
    }
});
