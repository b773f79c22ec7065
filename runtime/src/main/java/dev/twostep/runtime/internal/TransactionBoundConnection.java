package dev.twostep.runtime.internal;

import dev.twostep.Migration;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * The connection a transactional Java migration gets: the runner's connection, except that it
 * refuses to end or leave the transaction ({@code commit()}, {@code rollback()},
 * {@code setAutoCommit(...)}, {@code close()}). The migration and its history row are one
 * transaction; a commit in the middle would keep half of the work and repeat it on every retry.
 */
final class TransactionBoundConnection implements InvocationHandler {
  /** {@code invalid_transaction_termination}, as PostgreSQL reports a COMMIT where none may be. */
  static final String SQLSTATE = "2D000";

  private static final Set<String> REFUSED = Set.of("commit", "setAutoCommit", "close");

  private final Connection connection;
  private final Migration migration;

  private TransactionBoundConnection(Connection connection, Migration migration) {
    this.connection = connection;
    this.migration = migration;
  }

  static Connection wrap(Connection connection, Migration migration) {
    return (Connection) Proxy.newProxyInstance(TransactionBoundConnection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new TransactionBoundConnection(connection, migration));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    // rollback(Savepoint) stays allowed: it undoes part of the work inside the transaction
    if (REFUSED.contains(name) || ("rollback".equals(name) && method.getParameterCount() == 0)) {
      throw new SQLException("Java migration " + migration.displayName() + " (" + migration.className() + ") called "
          + name + "(" + (args == null ? "" : args[0]) + ") on its connection, which runs in one transaction that "
          + "Twostep commits together with the history row. Remove the call (throw an exception to roll back), or "
          + "declare the migration non-transactional (transactional = false) to commit work in batches.", SQLSTATE);
    }
    if ("unwrap".equals(name) || "isWrapperFor".equals(name)) {
      // no way around the guard through the driver's own connection class
      Class<?> type = (Class<?>) args[0];
      if ("isWrapperFor".equals(name)) {
        return type.isInstance(proxy);
      }
      if (type.isInstance(proxy)) {
        return proxy;
      }
      throw new SQLException("the connection of Java migration " + migration.displayName() + " does not unwrap to "
          + type.getName());
    }
    try {
      return method.invoke(connection, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
