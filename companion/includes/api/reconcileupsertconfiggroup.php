<?php
/**
 * ReconcileUpsertConfigGroup: create, update or adopt one configurable option group with all its
 * options, sub-options and their pricing, in one transaction. Options match existing rows by key
 * (left of `|`, or the whole name), choices by key within their option; the single sub-option of a
 * quantity or yes/no option matches by position. Rows absent from the request are hidden, never
 * deleted: services may still reference them. See docs/companion-api.md.
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
        throw new ZwrError(ZWR_ERR_CONFIG_GROUP_NAME);
    }
    $description = zwr_str($vars['description'] ?? null);

    // Every option and choice is checked before anything is written; only prices need the currencies.
    $options = [];
    $raw = $vars['options'] ?? null;
    if ($raw !== null && $raw !== '') {
        if (!is_array($raw)) {
            throw new ZwrError('Invalid value for options: expected options[<i>][…]');
        }
        foreach ($raw as $index => $entry) {
            $where = "options[{$index}]";
            if (!is_array($entry)) {
                throw new ZwrError("Invalid value for {$where}");
            }
            $optKey = zwr_str($entry['key'] ?? null) ?? '';
            if ($optKey === '') {
                throw new ZwrError("{$where}[key] is required");
            }
            if (strpos($optKey, '|') !== false) {
                throw new ZwrError("{$where}[key] must not contain \"|\"");
            }
            foreach ($options as $seen) {
                if ($seen['key'] === $optKey) {
                    throw new ZwrError("Duplicate option key {$optKey}");
                }
            }
            $type = zwr_str($entry['type'] ?? null) ?? '';
            if (!in_array($type, ['1', '2', '3', '4'], true)) {
                throw new ZwrError('Invalid option type ' . zwr_quote($type) . " for {$where}. Must be one of 1, 2, 3 or 4");
            }
            $choices = zwr_read_choices($entry['choices'] ?? null, $where);
            if (($type === '3' || $type === '4') && count($choices) !== 1) {
                throw new ZwrError(ZWR_ERR_SINGLE_CHOICE);
            }
            if ($type === '1' || $type === '2') {
                foreach ($choices as $choice) {
                    if ($choice['key'] === '') {
                        throw new ZwrError("Dropdown and radio choices need a key ({$where})");
                    }
                }
            }
            $options[] = [
                'key' => $optKey,
                'label' => zwr_str($entry['label'] ?? null) ?? '',
                'type' => $type,
                'min' => zwr_int_param($entry['min'] ?? null, "{$where}[min]", 0),
                'max' => zwr_int_param($entry['max'] ?? null, "{$where}[max]", 0),
                'order' => zwr_int_param($entry['order'] ?? null, "{$where}[order]", count($options)),
                'hidden' => zwr_flag_param($entry['hidden'] ?? null, "{$where}[hidden]", false),
                'choices' => $choices,
            ];
        }
    }

    return zwr_transaction(function () use ($key, $id, $name, $description, $options) {
        $target = zwr_resolve('ConfigOptionGroup', 'tblproductconfiggroups', $key, $id);
        if ($target === null) {
            $groupId = (int) Capsule::table('tblproductconfiggroups')->insertGetId(['name' => $name, 'description' => $description ?? '']);
        } else {
            $groupId = $target;
            Capsule::table('tblproductconfiggroups')->where('id', $groupId)->update($description === null ? ['name' => $name] : ['name' => $name, 'description' => $description]);
        }
        $currencyIds = zwr_currency_ids();

        $existing = Capsule::table('tblproductconfigoptions')->where('gid', $groupId)->orderBy('id')->get()->all();
        $matched = [];
        $result = [];
        foreach ($options as $option) {
            $row = null;
            foreach ($existing as $candidate) {
                if (!isset($matched[(int) $candidate->id]) && zwr_option_key((string) $candidate->optionname) === $option['key']) {
                    $row = $candidate;
                    break;
                }
            }
            $fields = [
                'optionname' => $option['key'] . '|' . $option['label'],
                'optiontype' => $option['type'],
                'qtyminimum' => $option['min'],
                'qtymaximum' => $option['max'],
                'order' => $option['order'],
                'hidden' => $option['hidden'] ? 1 : 0,
            ];
            if ($row === null) {
                $optionId = (int) Capsule::table('tblproductconfigoptions')->insertGetId(zwr_complete_row('tblproductconfigoptions', array_merge(['gid' => $groupId], $fields)));
            } else {
                $optionId = (int) $row->id;
                $matched[$optionId] = true;
                Capsule::table('tblproductconfigoptions')->where('id', $optionId)->update($fields);
            }
            $choices = zwr_upsert_choices($optionId, $option, $currencyIds);
            $result[] = ['key' => $option['key'], 'id' => $optionId, 'choices' => $choices];
        }
        foreach ($existing as $row) {
            if (!isset($matched[(int) $row->id])) {
                Capsule::table('tblproductconfigoptions')->where('id', (int) $row->id)->update(['hidden' => 1]);
            }
        }
        zwr_record('ConfigOptionGroup', $key, $groupId);
        return ['id' => $groupId, 'created' => $target === null, 'options' => $result];
    });
});
