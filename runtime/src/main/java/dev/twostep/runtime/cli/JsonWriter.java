package dev.twostep.runtime.cli;

import dev.twostep.runtime.internal.Printable;

/** Just enough JSON output for {@code status --json}, without a JSON library. */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder();
  private boolean needComma;

  JsonWriter beginObject() {
    comma();
    out.append('{');
    needComma = false;
    return this;
  }

  /** A field whose value is an object; add its fields, then {@link #endObject}. */
  JsonWriter beginObject(String name) {
    name(name);
    out.append('{');
    needComma = false;
    return this;
  }

  JsonWriter endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  JsonWriter beginArray(String name) {
    name(name);
    out.append('[');
    needComma = false;
    return this;
  }

  JsonWriter endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  JsonWriter field(String name, String value) {
    name(name);
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    needComma = true;
    return this;
  }

  /** A field whose value is already JSON (the output of a command run with {@code --json}). */
  JsonWriter rawField(String name, String json) {
    name(name);
    out.append(json.strip());
    needComma = true;
    return this;
  }

  JsonWriter field(String name, long value) {
    name(name);
    out.append(value);
    needComma = true;
    return this;
  }

  JsonWriter field(String name, boolean value) {
    name(name);
    out.append(value);
    needComma = true;
    return this;
  }

  private void name(String name) {
    comma();
    string(name);
    out.append(':');
    needComma = false;
  }

  private void comma() {
    if (needComma) {
      out.append(',');
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        default:
          if (Printable.isControl(c)) {
            Printable.appendEscape(out, c);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
