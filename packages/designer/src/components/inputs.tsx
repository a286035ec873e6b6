import { Input, type InputProps } from 'antd';
import { useEffect, useState } from 'react';

/**
 * A text input that commits on blur or Enter, so typing a name is one edit
 * (one undo step), not one per keystroke.
 */
export function CommitInput({
  value,
  onCommit,
  ...rest
}: Omit<InputProps, 'value' | 'onChange'> & {
  value: string | undefined;
  onCommit: (v: string) => void;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const commit = () => {
    if (text !== (value ?? '')) onCommit(text);
  };
  return (
    <Input
      {...rest}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onPressEnter={commit}
    />
  );
}

export function CommitTextArea({
  value,
  onCommit,
  rows = 3,
  ...rest
}: {
  value: string | undefined;
  onCommit: (v: string) => void;
  rows?: number;
  placeholder?: string;
  id?: string;
}) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <Input.TextArea
      {...rest}
      rows={rows}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => {
        if (text !== (value ?? '')) onCommit(text);
      }}
    />
  );
}
