using System.Text;

namespace Mitreden.TestKit;

/// <summary>Reads the CSV our exports write (RFC 4180: quoted fields unescaped; rows end with CRLF or LF).</summary>
public static class Csv
{
    public static List<List<string>> Rows(string csv, char separator)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n' || (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n'))
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                if (c == '\r')
                {
                    i++;
                }
            }
            else
            {
                cell.Append(c);
            }
        }
        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Every cell of every row, in order.</summary>
    public static List<string> Cells(string csv, char separator) => Rows(csv, separator).SelectMany(r => r).ToList();
}
