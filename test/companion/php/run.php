<?php
/**
 * Runs companion API action files the way WHMCS includes them: the WHMCS and ROOTDIR constants,
 * add_hook(), $_POST filled from a form body, and `$apiresults` read back afterwards.
 *
 * Input (stdin, JSON): {"root": companion dir, "database": {"host","port","user","password","name"},
 *   "requests": [{"file": "reconcileupsertproduct.php", "body": "key=…&name=…"}, …]}
 * Output (stdout, JSON): one `$apiresults` per request, in order.
 */

error_reporting(E_ALL);
set_error_handler(function ($severity, $message, $file, $line) {
    throw new ErrorException($message, 0, $severity, $file, $line);
});

$input = json_decode(stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
define('WHMCS', true);
define('ROOTDIR', $input['root']);

$hooks = [];
function add_hook($name, $priority, $callback)
{
    $GLOBALS['hooks'][] = [$name, $priority];
}

require __DIR__ . '/capsule.php';

$db = $input['database'];
$pdo = new PDO(
    "mysql:host={$db['host']};port={$db['port']};dbname={$db['name']};charset=utf8mb4",
    $db['user'],
    $db['password'] ?? '',
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_EMULATE_PREPARES => false, PDO::ATTR_STRINGIFY_FETCHES => false]
);
if (isset($db['sqlMode'])) {
    $pdo->exec('SET SESSION sql_mode = ' . $pdo->quote($db['sqlMode']));
}
WHMCS\Database\Capsule::connect($pdo);

$results = [];
foreach ($input['requests'] as $request) {
    $_POST = [];
    $_GET = [];
    parse_str($request['body'], $_POST);
    unset($apiresults);
    $path = ROOTDIR . '/includes/' . $request['file'];
    require $path;
    $results[] = $apiresults ?? null;
}
echo json_encode(['results' => $results, 'hooks' => $hooks], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE);
