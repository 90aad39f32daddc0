<?php
/**
 * ReconcileUpsertProduct: create, update or adopt one product with its option-group links (the
 * complete set), one type=product pricing row per currency sent and the custom fields named in
 * customfields[]. See docs/companion-api.md.
 */

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
        throw new ZwrError(ZWR_ERR_PRODUCT_NAME);
    }
    $gidText = zwr_str($vars['gid'] ?? null) ?? '';
    $gid = preg_match('/^[1-9][0-9]*$/D', $gidText) ? (int) $gidText : 0;

    // Parameters left out keep their stored values (or the column defaults on create).
    $patch = ['name' => $name];
    $type = zwr_str($vars['type'] ?? null);
    if ($type !== null) {
        if (!in_array($type, ZWR_PRODUCT_TYPES, true)) {
            throw new ZwrError(ZWR_ERR_PRODUCT_TYPE);
        }
        $patch['type'] = $type;
    }
    $paytype = zwr_str($vars['paytype'] ?? null);
    if ($paytype !== null) {
        if (!in_array($paytype, ZWR_PAY_TYPES, true)) {
            throw new ZwrError(ZWR_ERR_PAY_TYPE);
        }
        $patch['paytype'] = $paytype;
    }
    $description = zwr_str($vars['description'] ?? null);
    if ($description !== null) {
        $patch['description'] = $description;
    }
    $module = zwr_str($vars['module'] ?? null);
    if ($module !== null) {
        $patch['servertype'] = $module;
    }
    if (array_key_exists('hidden', $vars)) {
        $patch['hidden'] = zwr_flag_param($vars['hidden'], 'hidden', false) ? 1 : 0;
    }
    if (array_key_exists('retired', $vars)) {
        $patch['retired'] = zwr_flag_param($vars['retired'], 'retired', false) ? 1 : 0;
    }
    // configgroups[]=… is the complete set, configgroups= (empty) none, absent leaves the links alone.
    $configGroups = null;
    if (array_key_exists('configgroups', $vars)) {
        $raw = $vars['configgroups'];
        $configGroups = [];
        if ($raw !== '') {
            foreach (is_array($raw) ? $raw : [$raw] as $value) {
                $text = is_string($value) ? zwr_trim($value) : '';
                if (!preg_match('/^[1-9][0-9]*$/D', $text)) {
                    throw new ZwrError('Invalid configurable option group ID ' . zwr_quote($value));
                }
                if (!in_array((int) $text, $configGroups, true)) {
                    $configGroups[] = (int) $text;
                }
            }
        }
    }

    $customFields = zwr_custom_field_names($vars['customfields'] ?? null);

    return zwr_transaction(function () use ($vars, $key, $id, $name, $gid, $patch, $configGroups, $customFields) {
        if ($gid === 0 || !Capsule::table('tblproductgroups')->where('id', $gid)->exists()) {
            throw new ZwrError(ZWR_ERR_PRODUCT_GROUP);
        }
        $patch['gid'] = $gid;
        $pricing = zwr_pricing_param($vars['pricing'] ?? null, 'pricing', zwr_currency_ids());
        foreach ($configGroups ?? [] as $g) {
            if (!Capsule::table('tblproductconfiggroups')->where('id', $g)->exists()) {
                throw new ZwrError("Configurable option group {$g} does not exist");
            }
        }

        $now = zwr_now();
        $target = zwr_resolve('Product', 'tblproducts', $key, $id);
        if ($target === null) {
            $productId = (int) Capsule::table('tblproducts')->insertGetId(zwr_complete_row('tblproducts', array_merge(
                ['type' => ZWR_DEFAULT_TYPE, 'paytype' => ZWR_DEFAULT_PAYTYPE],
                $patch,
                ['slug' => zwr_unique_slug('tblproducts', zwr_slugify($name, 'product')), 'created_at' => $now, 'updated_at' => $now]
            )));
        } else {
            $productId = $target;
            Capsule::table('tblproducts')->where('id', $productId)->update(array_merge($patch, ['updated_at' => $now]));
        }
        if ($configGroups !== null) {
            $kept = [];
            foreach (Capsule::table('tblproductconfiglinks')->where('pid', $productId)->orderBy('id')->get()->all() as $link) {
                $linked = (int) $link->gid;
                if (in_array($linked, $configGroups, true) && !isset($kept[$linked])) {
                    $kept[$linked] = true;
                } else {
                    Capsule::table('tblproductconfiglinks')->where('id', (int) $link->id)->delete();
                }
            }
            foreach ($configGroups as $g) {
                if (!isset($kept[$g])) {
                    Capsule::table('tblproductconfiglinks')->insert(['gid' => $g, 'pid' => $productId]);
                }
            }
        }
        foreach ($pricing as [$currency, $prices]) {
            zwr_replace_pricing('product', $productId, $currency, $prices);
        }
        if ($customFields !== null) {
            zwr_ensure_custom_fields($productId, $customFields);
        }
        zwr_record('Product', $key, $productId);
        return ['id' => $productId, 'created' => $target === null];
    });
});
