/**
 * The condition builder: rules over context fields, joined by and/or, edited with
 * react-querybuilder. Fields are free text with suggestions, since an attribute the journey has
 * not used yet is still a valid field.
 */
import { type Field, type FieldSelectorProps, QueryBuilder, type RuleGroupType, defaultOperators } from "react-querybuilder";
import "react-querybuilder/dist/query-builder.css";
import "./expressions.css";

export interface ConditionBuilderProps {
  id: string;
  query: RuleGroupType;
  onQueryChange: (query: RuleGroupType) => void;
  fieldNames: string[];
  disabled: boolean;
}

/** `null` and `notNull` are left out: reading a field that is not there is an error in CEL. */
const OPERATORS = defaultOperators.filter((operator) => operator.name !== "null" && operator.name !== "notNull");

export default function ConditionBuilder({ id, query, onQueryChange, fieldNames, disabled }: ConditionBuilderProps) {
  const fields: Field[] = fieldNames.map((name) => ({ name, label: name }));
  return (
    <div className="condition-builder" data-testid={`${id}-builder`}>
      <QueryBuilder
        query={query}
        onQueryChange={onQueryChange}
        fields={fields}
        operators={OPERATORS}
        controlElements={{ fieldSelector: FieldInput }}
        context={{ listId: `${id}-fields` }}
        disabled={disabled}
        showNotToggle
        resetOnFieldChange={false}
      />
      <datalist id={`${id}-fields`}>
        {fieldNames.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </div>
  );
}

function FieldInput({ value, handleOnChange, className, disabled, title, context, testID }: FieldSelectorProps) {
  return (
    <input
      className={`${className ?? ""} mono`}
      list={(context as { listId: string }).listId}
      value={value ?? ""}
      placeholder="user.tier"
      title={title}
      disabled={disabled}
      spellCheck={false}
      aria-label="Field"
      onChange={(event) => handleOnChange(event.target.value)}
      data-testid={testID}
    />
  );
}
