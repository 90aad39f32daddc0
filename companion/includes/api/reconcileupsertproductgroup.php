<?php
/** ReconcileUpsertProductGroup: create, update or adopt one product group. See docs/companion-api.md. */

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

require_once ROOTDIR . '/includes/zoho_whmcs_reconcile/companion.php';

use WHMCS\Database\Capsule;

$apiresults = zwr_run(function (array $vars) {
    $key = zwr_require_key($vars);
    $id = zwr_optional_id($vars);
    $name = zwr_str($vars['name'] ?? null) ?? '';
    if ($name === '') {
        throw new ZwrError(ZWR_ERR_GROUP_NAME);
    }
    // Parameters left out keep their stored values (or the column defaults on create).
    $patch = ['name' => $name];
    foreach (['headline', 'tagline'] as $text) {
        $value = zwr_str($vars[$text] ?? null);
        if ($value !== null) {
            $patch[$text] = $value;
        }
    }
    if (array_key_exists('hidden', $vars)) {
        $patch['hidden'] = zwr_flag_param($vars['hidden'], 'hidden', false) ? 1 : 0;
    }
    if (array_key_exists('order', $vars)) {
        $patch['order'] = zwr_int_param($vars['order'], 'order', 0);
    }

    return zwr_transaction(function () use ($key, $id, $name, $patch) {
        $now = zwr_now();
        $target = zwr_resolve('ProductGroup', 'tblproductgroups', $key, $id);
        if ($target === null) {
            $groupId = (int) Capsule::table('tblproductgroups')->insertGetId(zwr_complete_row('tblproductgroups', array_merge(
                ['headline' => '', 'tagline' => '', 'hidden' => 0, 'order' => 0],
                $patch,
                [
                    'slug' => zwr_unique_slug('tblproductgroups', zwr_slugify($name, 'group')),
                    'orderfrmtpl' => '',
                    'disabledgateways' => '',
                    'created_at' => $now,
                    'updated_at' => $now,
                ]
            )));
        } else {
            $groupId = $target;
            Capsule::table('tblproductgroups')->where('id', $groupId)->update(array_merge($patch, ['updated_at' => $now]));
        }
        zwr_record('ProductGroup', $key, $groupId);
        return ['id' => $groupId, 'created' => $target === null];
    });
});
