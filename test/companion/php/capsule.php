<?php
/**
 * The subset of WHMCS\Database\Capsule (Laravel's query builder) that the companion files use,
 * over PDO, so they run outside WHMCS in tests. Anything beyond that subset fails loudly: a
 * companion file that starts using more of the builder must extend this file on purpose.
 */

namespace WHMCS\Database;

final class Capsule
{
    /** @var \PDO|null */
    private static $pdo;

    public static function connect(\PDO $pdo)
    {
        self::$pdo = $pdo;
    }

    public static function table($table)
    {
        return new Builder(self::pdo(), $table);
    }

    public static function connection()
    {
        return new Connection(self::pdo());
    }

    public static function __callStatic($method, $args)
    {
        return self::connection()->$method(...$args);
    }

    private static function pdo()
    {
        if (self::$pdo === null) {
            throw new \LogicException('Capsule has no connection');
        }
        return self::$pdo;
    }
}

final class Connection
{
    private $pdo;

    public function __construct(\PDO $pdo)
    {
        $this->pdo = $pdo;
    }

    /** Laravel's semantics: commit when the callback returns, roll back and rethrow when it throws. */
    public function transaction(callable $callback)
    {
        $this->pdo->beginTransaction();
        try {
            $result = $callback($this);
            $this->pdo->commit();
            return $result;
        } catch (\Throwable $e) {
            if ($this->pdo->inTransaction()) {
                $this->pdo->rollBack();
            }
            throw $e;
        }
    }

    public function select($sql, array $bindings = [])
    {
        $statement = $this->pdo->prepare($sql);
        $statement->execute(array_values($bindings));
        return $statement->fetchAll(\PDO::FETCH_OBJ);
    }

    public function statement($sql, array $bindings = [])
    {
        return $this->pdo->prepare($sql)->execute(array_values($bindings));
    }

    public function __call($method, $args)
    {
        throw new \BadMethodCallException("Capsule shim: connection()->{$method}() is not part of the supported subset");
    }
}

final class Collection implements \IteratorAggregate, \Countable
{
    private $items;

    public function __construct(array $items)
    {
        $this->items = $items;
    }

    public function all()
    {
        return $this->items;
    }

    public function getIterator(): \Iterator
    {
        return new \ArrayIterator($this->items);
    }

    public function count(): int
    {
        return count($this->items);
    }
}

final class Builder
{
    private $pdo;
    private $table;
    private $columns = ['*'];
    private $wheres = [];
    private $bindings = [];
    private $orders = [];

    public function __construct(\PDO $pdo, $table)
    {
        $this->pdo = $pdo;
        $this->table = $table;
    }

    public function select(...$columns)
    {
        $this->columns = $columns;
        return $this;
    }

    public function where($column, $operator, $value = null)
    {
        if (func_num_args() === 2) {
            $value = $operator;
            $operator = '=';
        }
        if (!in_array($operator, ['=', '!='], true)) {
            throw new \BadMethodCallException("Capsule shim: where() operator {$operator} is not supported");
        }
        $this->wheres[] = self::quote($column) . " {$operator} ?";
        $this->bindings[] = $value;
        return $this;
    }

    public function whereIn($column, array $values)
    {
        if (!$values) {
            $this->wheres[] = '0 = 1';
            return $this;
        }
        $this->wheres[] = self::quote($column) . ' IN (' . implode(', ', array_fill(0, count($values), '?')) . ')';
        foreach ($values as $v) {
            $this->bindings[] = $v;
        }
        return $this;
    }

    public function orderBy($column, $direction = 'asc')
    {
        $this->orders[] = self::quote($column) . (strtolower($direction) === 'desc' ? ' DESC' : ' ASC');
        return $this;
    }

    public function get()
    {
        $columns = $this->columns === ['*'] ? '*' : implode(', ', array_map([self::class, 'quote'], $this->columns));
        $sql = "SELECT {$columns} FROM " . self::quote($this->table) . $this->whereSql()
            . ($this->orders ? ' ORDER BY ' . implode(', ', $this->orders) : '');
        return new Collection($this->run($sql, $this->bindings)->fetchAll(\PDO::FETCH_OBJ));
    }

    public function first()
    {
        $rows = $this->get()->all();
        return $rows ? $rows[0] : null;
    }

    public function exists()
    {
        $sql = 'SELECT EXISTS(SELECT 1 FROM ' . self::quote($this->table) . $this->whereSql() . ') AS `found`';
        return (int) $this->run($sql, $this->bindings)->fetchColumn() === 1;
    }

    public function insert(array $values)
    {
        $this->insertRow($values);
        return true;
    }

    public function insertGetId(array $values)
    {
        $this->insertRow($values);
        return (int) $this->pdo->lastInsertId();
    }

    public function update(array $values)
    {
        $sets = [];
        $bindings = [];
        foreach ($values as $column => $value) {
            $sets[] = self::quote($column) . ' = ?';
            $bindings[] = $value;
        }
        $sql = 'UPDATE ' . self::quote($this->table) . ' SET ' . implode(', ', $sets) . $this->whereSql();
        return $this->run($sql, array_merge($bindings, $this->bindings))->rowCount();
    }

    public function delete()
    {
        return $this->run('DELETE FROM ' . self::quote($this->table) . $this->whereSql(), $this->bindings)->rowCount();
    }

    public function __call($method, $args)
    {
        throw new \BadMethodCallException("Capsule shim: table()->{$method}() is not part of the supported subset");
    }

    private function insertRow(array $values)
    {
        $columns = array_map([self::class, 'quote'], array_keys($values));
        $sql = 'INSERT INTO ' . self::quote($this->table) . ' (' . implode(', ', $columns) . ') VALUES ('
            . implode(', ', array_fill(0, count($values), '?')) . ')';
        $this->run($sql, array_values($values));
    }

    private function whereSql()
    {
        return $this->wheres ? ' WHERE ' . implode(' AND ', $this->wheres) : '';
    }

    private function run($sql, array $bindings)
    {
        $statement = $this->pdo->prepare($sql);
        $statement->execute(array_map(function ($v) {
            return is_bool($v) ? (int) $v : $v;
        }, $bindings));
        return $statement;
    }

    private static function quote($identifier)
    {
        return '`' . str_replace('`', '``', $identifier) . '`';
    }
}
