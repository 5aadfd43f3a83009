/** Arguments of the event lists: the date range the Azure events API requires. */
import { ArgsType, Field, ID } from 'type-graphql';
import { DateTimeScalar } from '../../../lib/api/scalars';

@ArgsType()
export class EventRangeArgs {
  @Field(() => DateTimeScalar, { description: 'Events from this moment on (included). Required, as the Azure events API requires it.' })
  startDate: Date;

  @Field(() => DateTimeScalar, { description: 'Events up to this moment (included). Required, as the Azure events API requires it.' })
  endDate: Date;
}

@ArgsType()
export class ProfileEventsArgs extends EventRangeArgs {
  @Field(() => ID, { description: 'The billing profile\'s ARM id.' })
  billingProfileId: string;
}
