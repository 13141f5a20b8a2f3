using System.Net;
using System.Text;

namespace Recovery.Journeys.Templating;

/// <summary>
/// Finds, in an HTML template, the <c>href</c> and <c>src</c> attributes whose value holds tags and whose scheme the
/// template does not fix itself: <c>&lt;a href="{{values.link}}"&gt;</c> or <c>&lt;img src="{{ImageUrl}}"&gt;</c>,
/// but not <c>&lt;a href="https://shop.example.com/{{event.OrderId}}"&gt;</c>. A value from the model there could be
/// <c>javascript:...</c>, so both render paths check those attributes' values (<see cref="ScriptableUrls"/>).
/// </summary>
/// <remarks>
/// A small HTML tokenizer over the template's literal text: tags, attribute names, quoted and unquoted values, and
/// comments. Template tags are opaque: a tag inside an attribute value is part of that value. Blocks are read in
/// source order, both branches of an <c>{{#if}}</c> alike.
/// </remarks>
internal static class HtmlUrlAttributes
{
    private enum State
    {
        Data,
        Comment,
        TagName,
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        DoubleQuoted,
        SingleQuoted,
        Unquoted,
    }

    public static IReadOnlyList<UrlAttribute> Find(string source, IReadOnlyList<TemplateToken> tokens)
    {
        var reader = new Reader(source);
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case TemplateTokenKind.Text:
                    for (var i = token.Start; i < token.End; i++)
                    {
                        reader.Read(i);
                    }

                    break;
                case TemplateTokenKind.Comment:
                    break;
                default:
                    reader.Tag(token);
                    break;
            }
        }

        reader.End();
        return reader.Found;
    }

    private sealed class Reader(string source)
    {
        private readonly StringBuilder _name = new();
        private readonly StringBuilder _prefix = new();
        private State _state = State.Data;
        private bool _dynamicName;
        private int _valueStart;
        private int _tags;
        private int _depth;
        private bool _balanced;

        public List<UrlAttribute> Found { get; } = [];

        public void Read(int i)
        {
            var c = source[i];
            switch (_state)
            {
                case State.Data when c == '<':
                    _state = source.AsSpan(i).StartsWith("<!--") ? State.Comment
                        : i + 1 < source.Length && (char.IsAsciiLetter(source[i + 1]) || source[i + 1] == '/') ? State.TagName
                        : State.Data;
                    break;
                case State.Comment when c == '>' && i >= 2 && source.AsSpan(i - 2, 2) is "--":
                    _state = State.Data;
                    break;
                case State.TagName:
                    _state = c == '>' ? State.Data : char.IsWhiteSpace(c) || c == '/' ? State.BeforeName : State.TagName;
                    break;
                case State.BeforeName or State.AfterName:
                    if (c == '>')
                    {
                        _state = State.Data;
                    }
                    else if (c == '=' && _state == State.AfterName)
                    {
                        _state = State.BeforeValue;
                    }
                    else if (!char.IsWhiteSpace(c) && c != '/')
                    {
                        StartName(c);
                    }

                    break;
                case State.Name:
                    if (c == '=')
                    {
                        _state = State.BeforeValue;
                    }
                    else if (c == '>')
                    {
                        _state = State.Data;
                    }
                    else if (char.IsWhiteSpace(c) || c == '/')
                    {
                        _state = c == '/' ? State.BeforeName : State.AfterName;
                    }
                    else
                    {
                        _name.Append(c);
                    }

                    break;
                case State.BeforeValue:
                    if (c is '"' or '\'')
                    {
                        StartValue(i + 1, c == '"' ? State.DoubleQuoted : State.SingleQuoted);
                    }
                    else if (c == '>')
                    {
                        _state = State.Data;
                    }
                    else if (!char.IsWhiteSpace(c))
                    {
                        StartValue(i, State.Unquoted);
                        _prefix.Append(c);
                    }

                    break;
                case State.DoubleQuoted or State.SingleQuoted:
                    if (c == (_state == State.DoubleQuoted ? '"' : '\''))
                    {
                        EndValue(i);
                        _state = State.BeforeName;
                    }
                    else if (_tags == 0)
                    {
                        _prefix.Append(c);
                    }

                    break;
                case State.Unquoted:
                    if (char.IsWhiteSpace(c) || c == '>')
                    {
                        EndValue(i);
                        _state = c == '>' ? State.Data : State.BeforeName;
                    }
                    else if (_tags == 0)
                    {
                        _prefix.Append(c);
                    }

                    break;
            }
        }

        public void Tag(TemplateToken tag)
        {
            switch (_state)
            {
                case State.Name or State.BeforeName or State.AfterName:
                    // data-{{name}}="...": the attribute's name is not known.
                    _dynamicName = true;
                    return;
                case State.BeforeValue:
                    StartValue(tag.Start, State.Unquoted);
                    break;
                case not (State.DoubleQuoted or State.SingleQuoted or State.Unquoted):
                    return;
            }

            _tags++;
            if (tag.OpensBlock)
            {
                _depth++;
            }
            else if (tag.Kind == TemplateTokenKind.Close || (tag.Kind == TemplateTokenKind.Else && _depth == 0))
            {
                _balanced &= _depth > 0;
                _depth = Math.Max(0, _depth - (tag.Kind == TemplateTokenKind.Close ? 1 : 0));
            }
        }

        /// <summary>A template that ends inside an attribute value ends the value.</summary>
        public void End()
        {
            if (_state is State.DoubleQuoted or State.SingleQuoted or State.Unquoted)
            {
                EndValue(source.Length);
            }
        }

        private void StartName(char first)
        {
            _name.Clear().Append(first);
            _dynamicName = false;
            _state = State.Name;
        }

        private void StartValue(int start, State state)
        {
            _valueStart = start;
            _prefix.Clear();
            _tags = 0;
            _depth = 0;
            _balanced = true;
            _state = state;
        }

        private void EndValue(int end)
        {
            var name = _name.ToString().ToLowerInvariant();
            if (_tags > 0 && !_dynamicName && name is "href" or "src" && !SchemeIsFixed())
            {
                Found.Add(new UrlAttribute(name, _valueStart, end, 1 + source.AsSpan(0, _valueStart).Count('\n'), _balanced && _depth == 0));
            }

            _name.Clear();
        }

        /// <summary>Whether the text before the value's first tag already ends the scheme (<c>https:</c>) or starts a relative URL (<c>/</c>, <c>?</c>, <c>#</c>).</summary>
        private bool SchemeIsFixed() =>
            WebUtility.HtmlDecode(_prefix.ToString()).AsSpan().IndexOfAny(":/?#") >= 0;
    }
}
